import {
  runSmokeTest,
  viaTargets,
  viaTransport
} from "../chunks/chunk-TFKMKJ75.js";
import "../chunks/chunk-NCLL3RXK.js";
import "../chunks/chunk-QDKZOZWX.js";
import "../chunks/chunk-6PYKIDPT.js";
import "../chunks/chunk-TSVKQNYQ.js";
import "../chunks/chunk-5DAKGEXJ.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-VA52T2SJ.js";
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
  runSmokeTest,
  viaTargets,
  viaTransport
};
