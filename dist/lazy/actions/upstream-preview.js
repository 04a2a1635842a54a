import {
  upstreamPreview
} from "../chunks/chunk-SPD5BNDH.js";
import "../chunks/chunk-PRI3AX7Q.js";
import "../chunks/chunk-NC2UZVB4.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-LW4MLOGN.js";
import "../chunks/chunk-FBRJFBTB.js";
import "../chunks/chunk-47L3NVGC.js";
import "../chunks/chunk-2DLXAMSM.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  upstreamPreview
};
