import {
  failureText,
  notInstalled,
  probeOver
} from "./chunk-BXJ4WJ6F.js";
import "./chunk-LW4MLOGN.js";
import "./chunk-2DLXAMSM.js";
import "./chunk-HCRHB4A5.js";
import "./chunk-SEWDMQ6Q.js";
export {
  failureText,
  notInstalled,
  probeOver
};
