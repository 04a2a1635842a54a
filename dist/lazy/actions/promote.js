import {
  resumeCanary,
  runPromote
} from "../chunks/chunk-MNQMON36.js";
import "../chunks/chunk-AMXIWUDY.js";
import "../chunks/chunk-TKHLF5PM.js";
import "../chunks/chunk-Z6SB4JCP.js";
import "../chunks/chunk-ONRBBUDG.js";
import "../chunks/chunk-UNUR6LEU.js";
import "../chunks/chunk-3VOSUCEG.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-DJOGEIUA.js";
import "../chunks/chunk-7DXSFZAX.js";
import "../chunks/chunk-PRVHMAC4.js";
import "../chunks/chunk-IVA3R43S.js";
import "../chunks/chunk-HDIEMM7V.js";
import "../chunks/chunk-KF2DUK75.js";
import "../chunks/chunk-NWSNGAK3.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-HFIWHNBU.js";
import "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-GYOLDUFK.js";
import "../chunks/chunk-NDZR3XTD.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-KEUEEG4T.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-PDEXDIYD.js";
import "../chunks/chunk-4CE7LG3X.js";
import "../chunks/chunk-CNIHXAAR.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  resumeCanary,
  runPromote
};
