import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{c as t,e as m}from"./chunks/chunk-OESQEMJO.mjs";import{c as r}from"./chunks/chunk-R64N63B7.mjs";import{e as i}from"./chunks/chunk-ORC3VW2F.mjs";var n=i(r());var e={resolve:async()=>(await import("./chunks/resolve-DVZ7T2BM.mjs")).resolveCommand,build:async()=>(await import("./chunks/build-SHGP3CEV.mjs")).buildCommand,scan:async()=>(await import("./chunks/scan-44AITCMH.mjs")).scanCommand,push:async()=>(await import("./chunks/push-BDXCEOS6.mjs")).pushCommand,preview:async()=>(await import("./chunks/preview-NV6XUBLE.mjs")).previewCommand,deploy:async()=>(await import("./chunks/deploy-T62QALWB.mjs")).deployCommand,drift:async()=>(await import("./chunks/drift-IT5KSUQG.mjs")).driftCommand};async function s(){try{let o=t(),a=await(await e[o.command]())(m(o));typeof a=="number"&&a!==0&&(process.exitCode=a)}catch(o){n.setFailed(o.message)}}s();
