import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{a as c,e as m,g as n,h as i}from"./chunks/chunk-MS72NFJN.mjs";import{c as s}from"./chunks/chunk-R64N63B7.mjs";import{e as a}from"./chunks/chunk-ORC3VW2F.mjs";var e=a(s()),r=a(c());var d={resolve:async()=>(await import("./chunks/resolve-AVVSVJPV.mjs")).resolveCommand,build:async()=>(await import("./chunks/build-QAYOMEAE.mjs")).buildCommand,scan:async()=>(await import("./chunks/scan-KH2ETUXN.mjs")).scanCommand,push:async()=>(await import("./chunks/push-QPIAEH2B.mjs")).pushCommand,preview:async()=>(await import("./chunks/preview-427SCWQS.mjs")).previewCommand,deploy:async()=>(await import("./chunks/deploy-WGP6FMSO.mjs")).deployCommand,drift:async()=>(await import("./chunks/drift-3AGIMOSP.mjs")).driftCommand};async function p(){try{let o=m(r.context.eventName),t=await(await d[o.command]())(i(o));typeof t=="number"&&t!==0&&(process.exitCode=t)}catch(o){e.setFailed(n(o))}}p();
