import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{a as c,e as r,g as i,h as n}from"./chunks/chunk-EYJBTQF4.mjs";import{c as s}from"./chunks/chunk-R64N63B7.mjs";import{e as a}from"./chunks/chunk-ORC3VW2F.mjs";var m=a(s()),e=a(c());var d={resolve:async()=>(await import("./chunks/resolve-WMO45JHQ.mjs")).resolveCommand,build:async()=>(await import("./chunks/build-3ITQL74V.mjs")).buildCommand,scan:async()=>(await import("./chunks/scan-ZVHMPWLF.mjs")).scanCommand,push:async()=>(await import("./chunks/push-WBCLGELY.mjs")).pushCommand,preview:async()=>(await import("./chunks/preview-EKCOYF7L.mjs")).previewCommand,deploy:async()=>(await import("./chunks/deploy-VRUD3UG5.mjs")).deployCommand,drift:async()=>(await import("./chunks/drift-MBZMSQC3.mjs")).driftCommand};async function p(){try{let o=r(e.context.eventName),t=await(await d[o.command]())(n(o));typeof t=="number"&&t!==0&&(process.exitCode=t)}catch(o){C(i(o))}}function C(o){if(process.env.GITHUB_ACTIONS==="true"){m.setFailed(o);return}process.exitCode=1,process.stderr.write(`Error: ${o}
`)}p();
