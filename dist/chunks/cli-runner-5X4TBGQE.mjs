import{a as x,d as L}from"./chunk-5JYABWBQ.mjs";import{a as R}from"./chunk-B7U2AUM2.mjs";import{a as U}from"./chunk-YBZSMROY.mjs";import{a as O}from"./chunk-5OTMHWN4.mjs";import{e as $}from"./chunk-J6RDM422.mjs";import{a as r,d as D}from"./chunk-YGEJNC2A.mjs";import{appendFile as _}from"node:fs/promises";var S=D(U());import{readFileSync as q}from"node:fs";import B from"node:path";function M(i,s){let u=B.join(i,"actions",s,"action.yml"),n=(0,S.parse)(q(u,"utf8"));return{...n,inputs:n.inputs??{},outputs:n.outputs??{}}}r(M,"loadActionMetadata");function j(i,s={}){let u={};for(let[n,e]of Object.entries(i.inputs))e.default!==void 0&&(u[n]=C(String(e.default),s));return u}r(j,"inputDefaults");function C(i,s){return i.includes("${{")?/^\$\{\{\s*github\.token\s*\}\}$/.test(i)&&(s.GITHUB_TOKEN||s.GH_TOKEN)||"":i}r(C,"evaluateDefault");function k(i){return i.replace(/%/g,"%25").replace(/\r/g,"%0D").replace(/\n/g,"%0A").replace(/^(\s*)(::|##\[)/,(u,n,e)=>`${n}%${e==="::"?"3A":"23"}${e.slice(1)}`)}r(k,"escapeLogValue");function E(i){let s=globalThis.crypto.randomUUID();return`::stop-commands::${s}
${i}
::${s}::`}r(E,"verbatimBlock");var I=["summary-file","outputs-file"],G={stdout:r(i=>process.stdout.write(i),"stdout"),stderr:r(i=>process.stderr.write(i),"stderr")};async function rt(i,s,u,n=G){let[e,...d]=i,f=Object.keys(s);if(e===void 0||e==="--help"||e==="-h")return n.stdout(P(f)),e===void 0?1:0;let v=s[e];if(v===void 0)return n.stderr(`mlops: unknown action '${e}'${$(e,f)}
${P(f)}`),1;let m=M(u,e),h=Object.keys(m.inputs),y={},l={};for(let t=0;t<d.length;t++){let o=d[t];if(o==="--help"||o==="-h")return n.stdout(J(e,m.inputs)),0;if(!o.startsWith("--"))return n.stderr(`mlops ${e}: unexpected argument '${o}' (inputs are given as --name value)
`),1;let c=o.indexOf("="),a=o.slice(2,c===-1?void 0:c),g;if(c!==-1?g=o.slice(c+1):d[t+1]!==void 0&&!d[t+1].startsWith("--")?g=d[++t]:g="true",I.includes(a))l[a]=g;else if(h.includes(a))y[a]=g;else return n.stderr(`mlops ${e}: unknown input '--${a}'${$(a,[...h,...I])}
`),1}let F={...j(m,process.env),...y},b=L(process.env,process.cwd()),A=[],w=r(t=>A.reduce((o,c)=>o.split(c).join("***"),t),"hide"),p=r(t=>k(w(t)),"mask"),N={debug:r(t=>{process.env.RUNNER_DEBUG==="1"&&n.stderr(`debug: ${p(t)}
`)},"debug"),info:r(t=>n.stderr(`${p(t)}
`),"info"),warning:r(t=>n.stderr(`warning: ${p(t)}
`),"warning"),error:r(t=>n.stderr(`error: ${p(t)}
`),"error")};return x(e,v,{io:{inputs:new O(t=>F[t],b.workspace),logger:N,env:b,setSecret:r(t=>{t!==""&&A.push(t)},"setSecret")},async writeOutputs(t){let o=[...t].map(([c,a])=>`${c}=${/[\r\n]/.test(a)?JSON.stringify(a):a}
`);n.stdout(o.join("")),l["outputs-file"]&&await R(l["outputs-file"],JSON.stringify(Object.fromEntries(t),null,2))},async writeSummary(t){l["summary-file"]&&await _(l["summary-file"],`${t}
`)},setFailed:r(t=>n.stderr(`error: ${p(t)}
`),"setFailed"),reportBug:r(t=>n.stderr(`${E(w(t))}
`),"reportBug")})}r(rt,"runCli");function P(i){return`usage: mlops <action> [--<input> <value> ...] [--summary-file FILE] [--outputs-file FILE]

actions:
${i.map(s=>`  ${s}`).join(`
`)}

Inputs are the ones in actions/<action>/action.yml; \`mlops <action> --help\` lists them.
`}r(P,"usage");function J(i,s){let u=Object.entries(s).map(([n,e])=>{let d=e.required?" (required)":e.default!==void 0&&e.default!==""?` (default: ${e.default})`:"";return`  --${n}${d}
      ${e.description.trim().split(`
`)[0]}`});return`usage: mlops ${i} [options]

${u.join(`
`)}
`}r(J,"actionUsage");export{rt as runCli};
