import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{a as c,d as m,e as i}from"./chunks/chunk-SH3XSZOO.mjs";import{c as a}from"./chunks/chunk-LWFWMOGC.mjs";import{c as s}from"./chunks/chunk-R64N63B7.mjs";import{e as n}from"./chunks/chunk-ORC3VW2F.mjs";var r=n(s()),e=n(c());var d={resolve:async()=>(await import("./chunks/resolve-WMO45JHQ.mjs")).resolveCommand,build:async()=>(await import("./chunks/build-73L4BOIO.mjs")).buildCommand,scan:async()=>(await import("./chunks/scan-OX4LSBTQ.mjs")).scanCommand,push:async()=>(await import("./chunks/push-REKUWINP.mjs")).pushCommand,preview:async()=>(await import("./chunks/preview-MQOW7N2H.mjs")).previewCommand,deploy:async()=>(await import("./chunks/deploy-VPE2QU2Z.mjs")).deployCommand,drift:async()=>(await import("./chunks/drift-MCQRTAIA.mjs")).driftCommand,"offline-comment":async()=>(await import("./chunks/offline-comment-N45HORMH.mjs")).offlineCommentCommand};async function p(){try{let o=a(e.context.eventName),t=await(await d[o.command]())(i(o));typeof t=="number"&&t!==0&&(process.exitCode=t)}catch(o){f(m(o))}}function f(o){if(process.env.GITHUB_ACTIONS==="true"){r.setFailed(o);return}process.exitCode=1,process.stderr.write(`Error: ${o}
`)}p();
