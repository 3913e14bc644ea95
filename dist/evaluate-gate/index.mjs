import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a}from"../chunks/chunk-46C7YJOB.mjs";import{a as t}from"../chunks/chunk-N4GY36ZH.mjs";import"../chunks/chunk-WANY3CKS.mjs";await a("evaluate-gate",t);
