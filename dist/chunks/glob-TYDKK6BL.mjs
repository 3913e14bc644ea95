import{a,b}from"./chunk-P2XU24YX.mjs";import"./chunk-Z2WBWELM.mjs";import"./chunk-YGEJNC2A.mjs";export{a as expandGlobs,b as segmentRegExp};
