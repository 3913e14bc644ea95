import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{b as x,c as F}from"./chunk-37VEODCL.mjs";import{d as $,e as S,f as b,g as j}from"./chunk-3UYVU6C2.mjs";import{a as r}from"./chunk-YGEJNC2A.mjs";import{appendFile as E,writeFile as I}from"node:fs/promises";var R=["summary-file","outputs-file"],q={stdout:r(o=>process.stdout.write(o),"stdout"),stderr:r(o=>process.stderr.write(o),"stderr")};async function D(o,d,f,e=q){let[t,...c]=o,g=Object.keys(d);if(t===void 0||t==="--help"||t==="-h")return e.stdout(k(g)),t===void 0?1:0;let y=d[t];if(y===void 0)return e.stderr(`mlops: unknown action '${t}'${$(t,g)}
${k(g)}`),1;let m=x(f,t),w=Object.keys(m.inputs),h={},l={};for(let n=0;n<c.length;n++){let i=c[n];if(i==="--help"||i==="-h")return e.stdout(A(t,m.inputs)),0;if(!i.startsWith("--"))return e.stderr(`mlops ${t}: unexpected argument '${i}' (inputs are given as --name value)
`),1;let u=i.indexOf("="),s=i.slice(2,u===-1?void 0:u),p;if(u!==-1?p=i.slice(u+1):c[n+1]!==void 0&&!c[n+1].startsWith("--")?p=c[++n]:p="true",R.includes(s))l[s]=p;else if(w.includes(s))h[s]=p;else return e.stderr(`mlops ${t}: unknown input '--${s}'${$(s,[...w,...R])}
`),1}let L={...F(m),...h},v=b(process.env,process.cwd()),O=[],a=r(n=>O.reduce((i,u)=>i.split(u).join("***"),n),"mask"),C={debug:r(n=>{process.env.RUNNER_DEBUG==="1"&&e.stderr(`debug: ${a(n)}
`)},"debug"),info:r(n=>e.stderr(`${a(n)}
`),"info"),warning:r(n=>e.stderr(`warning: ${a(n)}
`),"warning"),error:r(n=>e.stderr(`error: ${a(n)}
`),"error")};return S(t,y,{io:{inputs:new j(n=>L[n],v.workspace),logger:C,env:v,setSecret:r(n=>{n!==""&&O.push(n)},"setSecret")},async writeOutputs(n){let i=[...n].map(([u,s])=>`${u}=${s.includes(`
`)?JSON.stringify(s):s}
`);e.stdout(i.join("")),l["outputs-file"]&&await I(l["outputs-file"],JSON.stringify(Object.fromEntries(n),null,2))},async writeSummary(n){l["summary-file"]&&await E(l["summary-file"],`${n}
`)},setFailed:r(n=>e.stderr(`error: ${a(n)}
`),"setFailed"),reportBug:r(n=>e.stderr(`${a(n)}
`),"reportBug")})}r(D,"runCli");function k(o){return`usage: mlops <action> [--<input> <value> ...] [--summary-file FILE] [--outputs-file FILE]

actions:
${o.map(d=>`  ${d}`).join(`
`)}

Inputs are the ones in actions/<action>/action.yml; \`mlops <action> --help\` lists them.
`}r(k,"usage");function A(o,d){let f=Object.entries(d).map(([e,t])=>{let c=t.required?" (required)":t.default!==void 0&&t.default!==""?` (default: ${t.default})`:"";return`  --${e}${c}
      ${t.description.trim().split(`
`)[0]}`});return`usage: mlops ${o} [options]

${f.join(`
`)}
`}r(A,"actionUsage");export{D as runCli};
