import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a}from"./chunk-WJMXYNIM.mjs";import"./chunk-SNZPIMCB.mjs";import"./chunk-JAP5TX5F.mjs";import"./chunk-VJJCRQ53.mjs";import"./chunk-GVLXJFMK.mjs";import"./chunk-37VEODCL.mjs";import"./chunk-3UYVU6C2.mjs";import"./chunk-YGEJNC2A.mjs";export{a as main};
