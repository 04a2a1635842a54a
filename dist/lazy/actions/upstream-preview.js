import {
  upstreamPreview
} from "../chunks/chunk-LR2UJVR2.js";
import "../chunks/chunk-BXS7JXTE.js";
import "../chunks/chunk-LW4MLOGN.js";
import "../chunks/chunk-KDUOHXNL.js";
import "../chunks/chunk-47L3NVGC.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  upstreamPreview
};
