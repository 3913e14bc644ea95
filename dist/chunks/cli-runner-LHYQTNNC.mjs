import{a as B}from"./chunk-YBZSMROY.mjs";import{a as j}from"./chunk-B7U2AUM2.mjs";import{a as M,b as R}from"./chunk-2ZKSI6GM.mjs";import{a as v,d as x}from"./chunk-N4MUHJP4.mjs";import{a as A}from"./chunk-HJ4FUQNQ.mjs";import{e as $}from"./chunk-Z2WBWELM.mjs";import{a as r,d as C}from"./chunk-YGEJNC2A.mjs";import{appendFile as U}from"node:fs/promises";var E=C(B());import{readFileSync as D}from"node:fs";import G from"node:path";function k(i,s){let a=G.join(i,"actions",s,"action.yml"),e=(0,E.parse)(D(a,"utf8"));return{...e,inputs:e.inputs??{},outputs:e.outputs??{}}}r(k,"loadActionMetadata");function F(i,s={}){let a={};for(let[e,n]of Object.entries(i.inputs))n.default!==void 0&&(a[e]=J(String(n.default),s));return a}r(F,"inputDefaults");function J(i,s){return i.includes("${{")?/^\$\{\{\s*github\.token\s*\}\}$/.test(i)&&(s.GITHUB_TOKEN||s.GH_TOKEN)||"":i}r(J,"evaluateDefault");var I=["summary-file","outputs-file"],_={stdout:r(i=>process.stdout.write(i),"stdout"),stderr:r(i=>process.stderr.write(i),"stderr")};async function nt(i,s,a,e=_){let[n,...d]=i,g=Object.keys(s);if(n===void 0||n==="--help"||n==="-h")return e.stdout(N(g)),n===void 0?1:0;let y=s[n];if(y===void 0)return e.stderr(`mlops: unknown action '${n}'${$(n,g)}
${N(g)}`),1;let m=k(a,n),h=Object.keys(m.inputs),w={},p={};for(let t=0;t<d.length;t++){let o=d[t];if(o==="--help"||o==="-h")return e.stdout(H(n,m.inputs)),0;if(!o.startsWith("--"))return e.stderr(`mlops ${n}: unexpected argument '${o}' (inputs are given as --name value)
`),1;let c=o.indexOf("="),u=o.slice(2,c===-1?void 0:c),f;if(c!==-1?f=o.slice(c+1):d[t+1]!==void 0&&!d[t+1].startsWith("--")?f=d[++t]:f="true",I.includes(u))p[u]=f;else if(h.includes(u))w[u]=f;else return e.stderr(`mlops ${n}: unknown input '--${u}'${$(u,[...h,...I])}
`),1}let L={...F(m,process.env),...w},O=x(process.env,process.cwd()),S=[],b=r(t=>S.reduce((o,c)=>o.split(c).join("***"),t),"hide"),l=r(t=>M(b(t)),"mask"),q={debug:r(t=>{process.env.RUNNER_DEBUG==="1"&&e.stderr(`debug: ${l(t)}
`)},"debug"),info:r(t=>e.stderr(`${l(t)}
`),"info"),warning:r(t=>e.stderr(`warning: ${l(t)}
`),"warning"),error:r(t=>e.stderr(`error: ${l(t)}
`),"error")};return v(n,y,{io:{inputs:new A(t=>L[t],O.workspace),logger:q,env:O,setSecret:r(t=>{t!==""&&S.push(t)},"setSecret")},async writeOutputs(t){let o=[...t].map(([c,u])=>`${c}=${/[\r\n]/.test(u)?JSON.stringify(u):u}
`);e.stdout(o.join("")),p["outputs-file"]&&await j(p["outputs-file"],JSON.stringify(Object.fromEntries(t),null,2))},async writeSummary(t){p["summary-file"]&&await U(p["summary-file"],`${t}
`)},setFailed:r(t=>e.stderr(`error: ${l(t)}
`),"setFailed"),reportBug:r(t=>e.stderr(`${R(b(t))}
`),"reportBug")})}r(nt,"runCli");function N(i){return`usage: mlops <action> [--<input> <value> ...] [--summary-file FILE] [--outputs-file FILE]

actions:
${i.map(s=>`  ${s}`).join(`
`)}

Inputs are the ones in actions/<action>/action.yml; \`mlops <action> --help\` lists them.
`}r(N,"usage");function H(i,s){let a=Object.entries(s).map(([e,n])=>{let d=n.required?" (required)":n.default!==void 0&&n.default!==""?` (default: ${n.default})`:"";return`  --${e}${d}
      ${n.description.trim().split(`
`)[0]}`});return`usage: mlops ${i} [options]

${a.join(`
`)}
`}r(H,"actionUsage");export{nt as runCli};
