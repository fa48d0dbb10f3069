import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{a as c,d as n,e as i}from"./chunks/chunk-DTW7AKMR.mjs";import{c as a}from"./chunks/chunk-ECRCXTBS.mjs";import{c as s}from"./chunks/chunk-R64N63B7.mjs";import{e as t}from"./chunks/chunk-ORC3VW2F.mjs";var e=t(s()),r=t(c());var d={resolve:async()=>(await import("./chunks/resolve-AVVSVJPV.mjs")).resolveCommand,build:async()=>(await import("./chunks/build-Y2NKVE2Q.mjs")).buildCommand,scan:async()=>(await import("./chunks/scan-YA4NAXGE.mjs")).scanCommand,push:async()=>(await import("./chunks/push-Z6IPJNPJ.mjs")).pushCommand,preview:async()=>(await import("./chunks/preview-FPG73KFU.mjs")).previewCommand,deploy:async()=>(await import("./chunks/deploy-MEKKDVDI.mjs")).deployCommand,drift:async()=>(await import("./chunks/drift-JLC2K4WK.mjs")).driftCommand,"offline-comment":async()=>(await import("./chunks/offline-comment-MIF7WW65.mjs")).offlineCommentCommand};async function p(){try{let o=a(r.context.eventName),m=await(await d[o.command]())(i(o));typeof m=="number"&&m!==0&&(process.exitCode=m)}catch(o){e.setFailed(n(o))}}p();
