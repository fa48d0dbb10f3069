import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{j as o}from"./chunk-OM52EXSN.mjs";var a=t=>new Promise(e=>setTimeout(e,t));async function u(t,e){let n=e.wait??a;for(let r=0;;r++)try{return await t()}catch(i){if(r>=e.retries||!e.retryable(i))throw i;let s=e.delayMs*2**r;e.onRetry?.(i,r+1,s),await n(s)}}var m=/^(?:([^@\s]+)@)?(sha256:[0-9a-f]{64})$/;function y(t){return Object.entries(t.inputs.images).map(([e,n])=>{if(!(e in t.pipeline.services))throw new o(`input images: ${e} is not a service of ${t.inputs.config}`);let r=m.exec(n),i=r?.[2];if(!i)throw new o(`input images: ${e}: must be an image by digest (<repository>@sha256:<64 hex>), got "${n}"`);return{service:e,repository:r?.[1],digest:i}})}export{u as a,y as b};
