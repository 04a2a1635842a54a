import {
  resumeCanary,
  runPromote
} from "../chunks/chunk-OFHI2DGU.js";
import "../chunks/chunk-ZB3KG7PJ.js";
import "../chunks/chunk-5OHRL654.js";
import "../chunks/chunk-RB6QVMVN.js";
import "../chunks/chunk-QDKZOZWX.js";
import "../chunks/chunk-EXGLFXK3.js";
import "../chunks/chunk-HEVGDBH7.js";
import "../chunks/chunk-6PYKIDPT.js";
import "../chunks/chunk-7NDG7RRJ.js";
import "../chunks/chunk-EJKV34LF.js";
import "../chunks/chunk-LS37LGEL.js";
import "../chunks/chunk-KF2DUK75.js";
import "../chunks/chunk-FAX57M2F.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-TSVKQNYQ.js";
import "../chunks/chunk-MOIZCRN3.js";
import "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-GYOLDUFK.js";
import "../chunks/chunk-PDADLHLK.js";
import "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import "../chunks/chunk-5DAKGEXJ.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-U7XPOYSJ.js";
import "../chunks/chunk-FDIJ72KF.js";
import "../chunks/chunk-ZZX7I4WI.js";
import "../chunks/chunk-2EYAEJCG.js";
import "../chunks/chunk-5V6H6OVK.js";
import "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  resumeCanary,
  runPromote
};
