import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{a as c,d as m,e as i}from"./chunks/chunk-EKYNJRT7.mjs";import{c as a}from"./chunks/chunk-ECRCXTBS.mjs";import{c as s}from"./chunks/chunk-R64N63B7.mjs";import{e as n}from"./chunks/chunk-ORC3VW2F.mjs";var r=n(s()),e=n(c());var d={resolve:async()=>(await import("./chunks/resolve-WMO45JHQ.mjs")).resolveCommand,build:async()=>(await import("./chunks/build-S7GT43RT.mjs")).buildCommand,scan:async()=>(await import("./chunks/scan-65RQ5LBQ.mjs")).scanCommand,push:async()=>(await import("./chunks/push-IPT45YID.mjs")).pushCommand,preview:async()=>(await import("./chunks/preview-OMFMUWAD.mjs")).previewCommand,deploy:async()=>(await import("./chunks/deploy-FKWY3NQF.mjs")).deployCommand,drift:async()=>(await import("./chunks/drift-73GVOAOM.mjs")).driftCommand,"offline-comment":async()=>(await import("./chunks/offline-comment-HNZCT4US.mjs")).offlineCommentCommand};async function p(){try{let o=a(e.context.eventName),t=await(await d[o.command]())(i(o));typeof t=="number"&&t!==0&&(process.exitCode=t)}catch(o){f(m(o))}}function f(o){if(process.env.GITHUB_ACTIONS==="true"){r.setFailed(o);return}process.exitCode=1,process.stderr.write(`Error: ${o}
`)}p();
