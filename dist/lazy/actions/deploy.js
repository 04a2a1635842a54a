import {
  runDeploy,
  selectServices,
  serviceSecrets
} from "../chunks/chunk-ZH5IQVFI.js";
import "../chunks/chunk-WFACSM6U.js";
import "../chunks/chunk-HFQKBZ7N.js";
import "../chunks/chunk-3IBAGGZQ.js";
import "../chunks/chunk-JALQZGVZ.js";
import "../chunks/chunk-I2HXHZA3.js";
import "../chunks/chunk-BCERJQ3O.js";
import "../chunks/chunk-RR5THU6X.js";
import "../chunks/chunk-JVJHSVLN.js";
import "../chunks/chunk-BM2NJGN2.js";
import "../chunks/chunk-A6O4LGYH.js";
import "../chunks/chunk-NCLL3RXK.js";
import "../chunks/chunk-QDKZOZWX.js";
import "../chunks/chunk-D2JJZR5M.js";
import "../chunks/chunk-JZF2JHVW.js";
import "../chunks/chunk-2IS7G2IM.js";
import "../chunks/chunk-EXGLFXK3.js";
import "../chunks/chunk-EVIASWWA.js";
import "../chunks/chunk-6PYKIDPT.js";
import "../chunks/chunk-OIFOA7EI.js";
import "../chunks/chunk-BH3DMWKS.js";
import "../chunks/chunk-EJKV34LF.js";
import "../chunks/chunk-LS37LGEL.js";
import "../chunks/chunk-KF2DUK75.js";
import "../chunks/chunk-RUJVB2ID.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-WYIXH24Q.js";
import "../chunks/chunk-UXZUOFCM.js";
import "../chunks/chunk-MOIZCRN3.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-GYOLDUFK.js";
import "../chunks/chunk-PDADLHLK.js";
import "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import "../chunks/chunk-IVJAZNWL.js";
import "../chunks/chunk-5DAKGEXJ.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-RPP53YNZ.js";
import "../chunks/chunk-VQFM3CCE.js";
import "../chunks/chunk-U7XPOYSJ.js";
import "../chunks/chunk-FDIJ72KF.js";
import "../chunks/chunk-ZZX7I4WI.js";
import "../chunks/chunk-2EYAEJCG.js";
import "../chunks/chunk-Q7OLK7WB.js";
import "../chunks/chunk-4SK5LWOK.js";
import "../chunks/chunk-5V6H6OVK.js";
import "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  runDeploy,
  selectServices,
  serviceSecrets
};
