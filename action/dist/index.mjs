import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{c as m,e as t,f as n}from"./chunks/chunk-J24ZRFO7.mjs";import{c as e}from"./chunks/chunk-R64N63B7.mjs";import{e as r}from"./chunks/chunk-ORC3VW2F.mjs";var i=r(e());var s={resolve:async()=>(await import("./chunks/resolve-DVZ7T2BM.mjs")).resolveCommand,build:async()=>(await import("./chunks/build-BH2KLOMR.mjs")).buildCommand,scan:async()=>(await import("./chunks/scan-GWVO3JBR.mjs")).scanCommand,push:async()=>(await import("./chunks/push-ZXCP7VT2.mjs")).pushCommand,preview:async()=>(await import("./chunks/preview-EHQGXBRE.mjs")).previewCommand,deploy:async()=>(await import("./chunks/deploy-UZGYVZ7D.mjs")).deployCommand,drift:async()=>(await import("./chunks/drift-5WMHSVJP.mjs")).driftCommand};async function c(){try{let o=m(),a=await(await s[o.command]())(n(o));typeof a=="number"&&a!==0&&(process.exitCode=a)}catch(o){i.setFailed(t(o))}}c();
