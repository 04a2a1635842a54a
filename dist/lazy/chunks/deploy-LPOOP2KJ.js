import {
  applySpec,
  assertOurs,
  deploySwarmService,
  pinnedImage,
  serviceRecord,
  taskReplicas
} from "./chunk-DLC2WS4V.js";
import "./chunk-5V63FDDH.js";
import "./chunk-5OHRL654.js";
import "./chunk-RB6QVMVN.js";
import "./chunk-QDKZOZWX.js";
import "./chunk-JZF2JHVW.js";
import "./chunk-2IS7G2IM.js";
import "./chunk-HEVGDBH7.js";
import "./chunk-6PYKIDPT.js";
import "./chunk-7NDG7RRJ.js";
import "./chunk-EJKV34LF.js";
import "./chunk-LS37LGEL.js";
import "./chunk-KF2DUK75.js";
import "./chunk-FAX57M2F.js";
import "./chunk-4YFRNVAS.js";
import "./chunk-TSVKQNYQ.js";
import "./chunk-MOIZCRN3.js";
import "./chunk-MIAGCR4I.js";
import "./chunk-GYOLDUFK.js";
import "./chunk-H5JJLJ3Z.js";
import "./chunk-CSTC25GN.js";
import "./chunk-62JVSY2V.js";
import "./chunk-5DAKGEXJ.js";
import "./chunk-C6LFNWKB.js";
import "./chunk-VA52T2SJ.js";
import "./chunk-U7XPOYSJ.js";
import "./chunk-FDIJ72KF.js";
import "./chunk-ZZX7I4WI.js";
import "./chunk-5V6H6OVK.js";
import "./chunk-BOC5NVEP.js";
import "./chunk-KPGNJUSS.js";
import "./chunk-WNIEMWDA.js";
import "./chunk-O2HJWNJA.js";
import "./chunk-SEWDMQ6Q.js";
export {
  applySpec,
  assertOurs,
  deploySwarmService,
  pinnedImage,
  serviceRecord,
  taskReplicas
};
