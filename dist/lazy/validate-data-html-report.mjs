import{z as $}from"../chunks/chunk-WROSB672.mjs";import{a as c}from"../chunks/chunk-YGEJNC2A.mjs";var m={"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"};function a(t){return String(t).replace(/[&<>"']/g,i=>m[i])}c(a,"escapeHtml");function d(t){return typeof t!="number"?t==null?"—":a(t):Number.isInteger(t)?$(t):Number(t.toPrecision(4)).toString()}c(d,"number");function x(t){let i=t.reference.length;if(i===0||i!==t.current.length)return"";let h=480,o=140,n=Math.max(...t.reference,...t.current,1e-12),l=h/i,e=Math.max(1,l/2-1),r=[];for(let s=0;s<i;s++){let u=t.categories?.[s]??(t.edges?`${d(t.edges[s])} – ${d(t.edges[s+1])}`:String(s));for(let[f,g,b]of[[0,t.reference[s],"#9ca3af"],[1,t.current[s],"#2563eb"]]){let p=g/n*(o-10);r.push(`<rect x="${(s*l+f*(e+1)).toFixed(1)}" y="${(o-p).toFixed(1)}" width="${e.toFixed(1)}" height="${p.toFixed(1)}" fill="${b}"><title>${a(u)}: ${f===0?"reference":"current"} ${(g*100).toFixed(1)}%</title></rect>`)}}return`<svg width="${h}" height="${o}" role="img" aria-label="reference vs current">${r.join("")}</svg>`}c(x,"histogramSvg");function w(t){let i=t.checks.filter(e=>!e.passed),h=t.passed?"passed":"failed",o=t.checks.map(e=>`<tr class="${e.passed?"ok":e.severity}"><td>${e.passed?"✅":e.severity==="error"?"❌":"⚠️"}</td><td>${a(e.column??"(table)")}</td><td>${a(e.check)}</td><td>${d(e.unexpected)}</td><td>${(e.unexpected_share*100).toFixed(2)}%</td><td>${a(e.message)}</td><td>${(e.examples??[]).map(r=>`<code>${a(typeof r=="string"?r:JSON.stringify(r))}</code>`).join(" ")}</td></tr>`).join(`
`),n=t.drift,l=n?Object.entries(n.columns).map(([e,r])=>`<tr class="${r.drift?"error":"ok"}"><td>${a(e)}</td><td>${a(r.method)}</td><td>${d(r.score)}</td><td>${d(r.threshold)}</td><td>${r.drift?"drift":"no"}</td><td>${r.drift?x(r.histogram):""}</td></tr>`).join(`
`):"";return`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>validate-data: ${h}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:1rem 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}tr.error td{background:#fef2f2}
tr.warning td{background:#fffbeb}code{background:#f3f4f6;padding:0 3px}.legend span{display:inline-block;width:10px;height:10px;margin:0 4px}
</style></head><body>
<h1>Data validation ${t.passed?"✅ passed":"❌ failed"}</h1>
<p>${d(t.rows.current)} rows${t.rows.reference===null?"":` vs ${d(t.rows.reference)} reference rows`}; ${i.length} of ${t.checks.length} checks failed${n?`; drift share ${d(n.share)} (threshold ${d(n.threshold_share)}): ${n.detected?"<strong>dataset drift</strong>":"no dataset drift"}`:""}.</p>
${t.checks.length>0?`<h2>Checks</h2><table><tr><th></th><th>Column</th><th>Check</th><th>Unexpected</th><th>Share</th><th>Message</th><th>Examples</th></tr>
${o}</table>`:""}
${n?`<h2>Drift</h2><p class="legend"><span style="background:#9ca3af"></span>reference <span style="background:#2563eb"></span>current (share of rows per bin)</p><table><tr><th>Column</th><th>Method</th><th>Score</th><th>Threshold</th><th>Drift</th><th>Distribution</th></tr>
${l}</table>`:""}
</body></html>
`}c(w,"renderHtmlReport");export{a as escapeHtml,w as renderHtmlReport};
