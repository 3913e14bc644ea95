import{a}from"../chunks/chunk-YBZSMROY.mjs";import"../chunks/chunk-YGEJNC2A.mjs";export default a();
