import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a as x}from"../chunks/chunk-YTMZUKBP.mjs";import{a as C}from"../chunks/chunk-N4GY36ZH.mjs";import{a as F}from"../chunks/chunk-4BA6TH4G.mjs";import{a as L}from"../chunks/chunk-5VWMCGAM.mjs";import{a as M}from"../chunks/chunk-VBC344IX.mjs";import{a as E}from"../chunks/chunk-IH5VYMLJ.mjs";import{a as I}from"../chunks/chunk-YSEW2ZGU.mjs";import{a as r,f as $,g as O,h as S,i as b,j,k}from"../chunks/chunk-WANY3CKS.mjs";import U from"node:path";import{fileURLToPath as _}from"node:url";import{appendFile as W,writeFile as B}from"node:fs/promises";var q=["summary-file","outputs-file"],J={stdout:r(s=>process.stdout.write(s),"stdout"),stderr:r(s=>process.stderr.write(s),"stderr")};async function N(s,d,p,n=J){let[e,...u]=s,f=Object.keys(d);if(e===void 0||e==="--help"||e==="-h")return n.stdout(A(f)),e===void 0?1:0;let y=d[e];if(y===void 0)return n.stderr(`mlops: unknown action '${e}'${$(e,f)}
${A(f)}`),1;let g=j(p,e),h=Object.keys(g.inputs),v={},c={};for(let t=0;t<u.length;t++){let i=u[t];if(i==="--help"||i==="-h")return n.stdout(P(e,g.inputs)),0;if(!i.startsWith("--"))return n.stderr(`mlops ${e}: unexpected argument '${i}' (inputs are given as --name value)
`),1;let a=i.indexOf("="),o=i.slice(2,a===-1?void 0:a),m;if(a!==-1?m=i.slice(a+1):u[t+1]!==void 0&&!u[t+1].startsWith("--")?m=u[++t]:m="true",q.includes(o))c[o]=m;else if(h.includes(o))v[o]=m;else return n.stderr(`mlops ${e}: unknown input '--${o}'${$(o,[...h,...q])}
`),1}let D={...k(g),...v},w=S(process.env,process.cwd()),R=[],l=r(t=>R.reduce((i,a)=>i.split(a).join("***"),t),"mask"),G={debug:r(t=>{process.env.RUNNER_DEBUG==="1"&&n.stderr(`debug: ${l(t)}
`)},"debug"),info:r(t=>n.stderr(`${l(t)}
`),"info"),warning:r(t=>n.stderr(`warning: ${l(t)}
`),"warning"),error:r(t=>n.stderr(`error: ${l(t)}
`),"error")};return O(e,y,{io:{inputs:new b(t=>D[t],w.workspace),logger:G,env:w,setSecret:r(t=>{t!==""&&R.push(t)},"setSecret")},async writeOutputs(t){let i=[...t].map(([a,o])=>`${a}=${o.includes(`
`)?JSON.stringify(o):o}
`);n.stdout(i.join("")),c["outputs-file"]&&await B(c["outputs-file"],JSON.stringify(Object.fromEntries(t),null,2))},async writeSummary(t){c["summary-file"]&&await W(c["summary-file"],`${t}
`)},setFailed:r(t=>n.stderr(`error: ${l(t)}
`),"setFailed"),reportBug:r(t=>n.stderr(`${l(t)}
`),"reportBug")})}r(N,"runCli");function A(s){return`usage: mlops <action> [--<input> <value> ...] [--summary-file FILE] [--outputs-file FILE]

actions:
${s.map(d=>`  ${d}`).join(`
`)}

Inputs are the ones in actions/<action>/action.yml; \`mlops <action> --help\` lists them.
`}r(A,"usage");function P(s,d){let p=Object.entries(d).map(([n,e])=>{let u=e.required?" (required)":e.default!==void 0&&e.default!==""?` (default: ${e.default})`:"";return`  --${n}${u}
      ${e.description.trim().split(`
`)[0]}`});return`usage: mlops ${s} [options]

${p.join(`
`)}
`}r(P,"actionUsage");var H=U.resolve(U.dirname(_(import.meta.url)),"..","..");process.exitCode=await N(process.argv.slice(2),{"validate-data":I,"evaluate-gate":C,"register-model":E,promote:M,"lookup-model":F,"dispatch-retrain":x,"pr-comment":L},H);
