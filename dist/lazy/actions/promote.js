import {
  resumeCanary,
  runPromote
} from "../chunks/chunk-462UXPBX.js";
import "../chunks/chunk-J2IAP2VZ.js";
import "../chunks/chunk-BALJXFAB.js";
import "../chunks/chunk-ZA7RXVEN.js";
import "../chunks/chunk-L5KWQJHM.js";
import "../chunks/chunk-K4QA4LN3.js";
import "../chunks/chunk-POU7XZB2.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-DJOGEIUA.js";
import "../chunks/chunk-7DXSFZAX.js";
import "../chunks/chunk-PRVHMAC4.js";
import "../chunks/chunk-IVA3R43S.js";
import "../chunks/chunk-HDIEMM7V.js";
import "../chunks/chunk-KF2DUK75.js";
import "../chunks/chunk-Z7TVORRY.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-HFIWHNBU.js";
import "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-GYOLDUFK.js";
import "../chunks/chunk-NDZR3XTD.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-KEUEEG4T.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-PDEXDIYD.js";
import "../chunks/chunk-EK5O6WXV.js";
import "../chunks/chunk-CNIHXAAR.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  resumeCanary,
  runPromote
};
