import{a}from"./chunk-YBZSMROY.mjs";import"./chunk-YGEJNC2A.mjs";export default a();
