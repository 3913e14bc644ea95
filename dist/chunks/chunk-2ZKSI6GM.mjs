import{a as r}from"./chunk-YGEJNC2A.mjs";function o(e){return e.replace(/%/g,"%25").replace(/\r/g,"%0D").replace(/\n/g,"%0A").replace(/^(\s*)(::|##\[)/,(t,s,i)=>`${s}%${i==="::"?"3A":"23"}${i.slice(1)}`)}r(o,"escapeLogValue");function g(e){let n=globalThis.crypto.randomUUID();return`::stop-commands::${n}
${e}
::${n}::`}r(g,"verbatimBlock");export{o as a,g as b};
