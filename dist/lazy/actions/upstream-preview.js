import {
  upstreamPreview
} from "../chunks/chunk-GUN2XW6D.js";
import "../chunks/chunk-Y75NUYHQ.js";
import "../chunks/chunk-BK766745.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-LW4MLOGN.js";
import "../chunks/chunk-KDUOHXNL.js";
import "../chunks/chunk-47L3NVGC.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  upstreamPreview
};
