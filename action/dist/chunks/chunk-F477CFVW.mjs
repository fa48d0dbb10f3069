import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
var a=t=>new Promise(e=>setTimeout(e,t));async function s(t,e){let o=e.wait??a;for(let r=0;;r++)try{return await t()}catch(n){if(r>=e.retries||!e.retryable(n))throw n;let i=e.delayMs*2**r;e.onRetry?.(n,r+1,i),await o(i)}}export{s as a};
