import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
async function g(e,i,r,o,m){let s=(await e.paginate(e.rest.issues.listComments,{...i,issue_number:r,per_page:100})).filter(t=>t.body?.includes(o)),n=s.find(t=>t.user?.type==="Bot");if(!n&&s.length>0){let t=await u(e);n=s.find(a=>t!==void 0&&a.user?.login===t)}return n?(await e.rest.issues.updateComment({...i,comment_id:n.id,body:m}),n.id):(await e.rest.issues.createComment({...i,issue_number:r,body:m})).data.id}async function u(e){try{return(await e.rest.users.getAuthenticated()).data.login}catch{return}}export{g as a};
