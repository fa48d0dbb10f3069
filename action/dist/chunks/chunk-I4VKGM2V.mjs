import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{spawn as c}from"node:child_process";function a(n,s,e={}){return new Promise((d,u)=>{let t=c(n,s,{cwd:e.cwd,shell:!1,stdio:["pipe","pipe","pipe"],env:e.env?{...process.env,...e.env}:process.env}),i="",o="";t.stdout.on("data",r=>{i+=r.toString(),e.stream&&process.stdout.write(r)}),t.stderr.on("data",r=>{o+=r.toString(),e.stream&&process.stderr.write(r)}),t.on("error",r=>u(new Error(`could not start ${n}: ${r.message}`))),t.on("close",r=>d({code:r??1,stdout:i,stderr:o})),t.stdin.on("error",()=>{}),t.stdin.end(e.input??"")})}function l(n,s=15){return n.trimEnd().split(`
`).slice(-s).join(`
`)}export{a,l as b};
