import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a as i}from"../chunks/chunk-46C7YJOB.mjs";import{a as r}from"../chunks/chunk-YTMZUKBP.mjs";import"../chunks/chunk-WANY3CKS.mjs";await i("dispatch-retrain",r);
