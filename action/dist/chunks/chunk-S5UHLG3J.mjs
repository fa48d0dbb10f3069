import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
async function o(t,e){let i=e.find(n=>n.user?.type==="Bot");if(i||e.length===0)return i;let r=await d(t);return r===void 0?void 0:e.find(n=>n.user?.login===r)}async function d(t){try{return(await t.rest.users.getAuthenticated()).data.login}catch{return}}async function g(t,e,i,r,n){let u=await t.paginate(t.rest.issues.listComments,{...e,issue_number:i,per_page:100}),s=await o(t,u.filter(a=>a.body?.includes(r)));return s?(await t.rest.issues.updateComment({...e,comment_id:s.id,body:n}),s.id):(await t.rest.issues.createComment({...e,issue_number:i,body:n})).data.id}export{o as a,g as b};
