import {
  failureText,
  notInstalled,
  probeOver
} from "./chunk-V63A77XG.js";
import "./chunk-62JVSY2V.js";
import "./chunk-HCRHB4A5.js";
import "./chunk-SEWDMQ6Q.js";
export {
  failureText,
  notInstalled,
  probeOver
};
