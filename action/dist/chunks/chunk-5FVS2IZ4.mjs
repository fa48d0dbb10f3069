import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{k as m}from"./chunk-WAO2GXB3.mjs";var d=t=>`inputs-${t}`;async function l(t,i){let e=m(i.pipeline,i.environment,i.service),o=d(i.inputsDigest),n=await t.digestOf(e,i.imageTag);if(n)return await f(t,i,e,n),{kind:"present",repository:e,digest:n};let s=await t.digestOf(e,o);if(s)return{kind:"reusable",repository:e,digest:s};let r=i.pipeline.environments[i.environment]?.promoteFrom;if(r){let a=m(i.pipeline,r,i.service);for(let g of[i.imageTag,o]){let p=await t.digestOf(a,g);if(p)return g===i.imageTag&&await f(t,i,a,p),{kind:"promotable",repository:e,from:r,fromRepository:a,tag:g,digest:p}}}return{kind:"absent",repository:e}}async function f(t,i,e,o){let n=d(i.inputsDigest),s=await t.digestOf(e,n);if(s!==o)throw new c(`${i.service}: ${e}:${i.imageTag} holds ${o}, which was not built from this commit's inputs (${n} ${s?`holds ${s}`:"is not in that repository"}); tags are immutable, so run again with a new image-tag (the default is the commit SHA)`)}var c=class extends Error{};export{d as a,l as b};
