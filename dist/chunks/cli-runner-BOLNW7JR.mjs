import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{b as L,c as R,d as C}from"./chunk-AI5SJ3N7.mjs";import{e as $,f as S,i as j,j as k,n as x,o as F}from"./chunk-QYURDD3U.mjs";import{a as e}from"./chunk-YGEJNC2A.mjs";import{appendFile as M}from"node:fs/promises";var E=["summary-file","outputs-file"],N={stdout:e(o=>process.stdout.write(o),"stdout"),stderr:e(o=>process.stderr.write(o),"stderr")};async function P(o,d,f,r=N){let[t,...c]=o,g=Object.keys(d);if(t===void 0||t==="--help"||t==="-h")return r.stdout(I(g)),t===void 0?1:0;let y=d[t];if(y===void 0)return r.stderr(`mlops: unknown action '${t}'${$(t,g)}
${I(g)}`),1;let m=L(f,t),w=Object.keys(m.inputs),h={},a={};for(let n=0;n<c.length;n++){let i=c[n];if(i==="--help"||i==="-h")return r.stdout(B(t,m.inputs)),0;if(!i.startsWith("--"))return r.stderr(`mlops ${t}: unexpected argument '${i}' (inputs are given as --name value)
`),1;let u=i.indexOf("="),s=i.slice(2,u===-1?void 0:u),p;if(u!==-1?p=i.slice(u+1):c[n+1]!==void 0&&!c[n+1].startsWith("--")?p=c[++n]:p="true",E.includes(s))a[s]=p;else if(w.includes(s))h[s]=p;else return r.stderr(`mlops ${t}: unknown input '--${s}'${$(s,[...w,...E])}
`),1}let q={...R(m,process.env),...h},v=j(process.env,process.cwd()),O=[],b=e(n=>O.reduce((i,u)=>i.split(u).join("***"),n),"hide"),l=e(n=>x(b(n)),"mask"),A={debug:e(n=>{process.env.RUNNER_DEBUG==="1"&&r.stderr(`debug: ${l(n)}
`)},"debug"),info:e(n=>r.stderr(`${l(n)}
`),"info"),warning:e(n=>r.stderr(`warning: ${l(n)}
`),"warning"),error:e(n=>r.stderr(`error: ${l(n)}
`),"error")};return S(t,y,{io:{inputs:new k(n=>q[n],v.workspace),logger:A,env:v,setSecret:e(n=>{n!==""&&O.push(n)},"setSecret")},async writeOutputs(n){let i=[...n].map(([u,s])=>`${u}=${/[\r\n]/.test(s)?JSON.stringify(s):s}
`);r.stdout(i.join("")),a["outputs-file"]&&await C(a["outputs-file"],JSON.stringify(Object.fromEntries(n),null,2))},async writeSummary(n){a["summary-file"]&&await M(a["summary-file"],`${n}
`)},setFailed:e(n=>r.stderr(`error: ${l(n)}
`),"setFailed"),reportBug:e(n=>r.stderr(`${F(b(n))}
`),"reportBug")})}e(P,"runCli");function I(o){return`usage: mlops <action> [--<input> <value> ...] [--summary-file FILE] [--outputs-file FILE]

actions:
${o.map(d=>`  ${d}`).join(`
`)}

Inputs are the ones in actions/<action>/action.yml; \`mlops <action> --help\` lists them.
`}e(I,"usage");function B(o,d){let f=Object.entries(d).map(([r,t])=>{let c=t.required?" (required)":t.default!==void 0&&t.default!==""?` (default: ${t.default})`:"";return`  --${r}${c}
      ${t.description.trim().split(`
`)[0]}`});return`usage: mlops ${o} [options]

${f.join(`
`)}
`}e(B,"actionUsage");export{P as runCli};
