import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a as r}from"../chunks/chunk-46C7YJOB.mjs";import{a as i}from"../chunks/chunk-IH5VYMLJ.mjs";import"../chunks/chunk-WANY3CKS.mjs";await r("register-model",i);
