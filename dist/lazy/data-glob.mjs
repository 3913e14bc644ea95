import{a,b}from"../chunks/chunk-Y2Q24VIS.mjs";import"../chunks/chunk-J6RDM422.mjs";import"../chunks/chunk-YGEJNC2A.mjs";export{a as expandGlobs,b as segmentRegExp};
