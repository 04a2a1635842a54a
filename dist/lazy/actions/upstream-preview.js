import {
  upstreamPreview
} from "../chunks/chunk-L6GX7FA2.js";
import "../chunks/chunk-GSVE7BWK.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-LW4MLOGN.js";
import "../chunks/chunk-KDUOHXNL.js";
import "../chunks/chunk-47L3NVGC.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  upstreamPreview
};
