import {
  pendingMigrationCheck
} from "../chunks/chunk-7OGLSL4B.js";
import "../chunks/chunk-FFUIHGTR.js";
import "../chunks/chunk-ISVV4EDO.js";
import "../chunks/chunk-XOMS26GA.js";
import "../chunks/chunk-NJUICJBY.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-GYOLDUFK.js";
import "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import "../chunks/chunk-KF7AZP5G.js";
import "../chunks/chunk-2EYAEJCG.js";
import "../chunks/chunk-WNIEMWDA.js";
import "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  pendingMigrationCheck
};
