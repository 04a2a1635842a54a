import {
  failureText,
  notInstalled,
  probeOver
} from "./chunk-YVWP7CTF.js";
import "./chunk-LW4MLOGN.js";
import "./chunk-HCRHB4A5.js";
import "./chunk-SEWDMQ6Q.js";
export {
  failureText,
  notInstalled,
  probeOver
};
