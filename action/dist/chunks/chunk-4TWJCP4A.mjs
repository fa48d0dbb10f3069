import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{spawn as p}from"node:child_process";function l(e,s,n={}){return new Promise((d,u)=>{let r=p(e,s,{cwd:n.cwd,shell:!1,stdio:["pipe","pipe","pipe"]}),i="",o="";r.stdout.on("data",t=>{i+=t.toString(),n.stream&&process.stdout.write(t)}),r.stderr.on("data",t=>{o+=t.toString(),n.stream&&process.stderr.write(t)}),r.on("error",t=>u(new Error(`could not start ${e}: ${t.message}`))),r.on("close",t=>d({code:t??1,stdout:i,stderr:o})),r.stdin.on("error",()=>{}),r.stdin.end(n.input??"")})}function c(e,s=15){return e.trimEnd().split(`
`).slice(-s).join(`
`)}export{l as a,c as b};
