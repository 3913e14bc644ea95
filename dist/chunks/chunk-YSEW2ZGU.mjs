import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a as o,e as t}from"./chunk-WANY3CKS.mjs";async function n(e){throw new t("not yet implemented")}o(n,"main");export{n as a};
