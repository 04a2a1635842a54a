import {
  failureText,
  notInstalled,
  probeOver
} from "./chunk-VAXYKZY2.js";
import "./chunk-62JVSY2V.js";
import "./chunk-O2HJWNJA.js";
import "./chunk-SEWDMQ6Q.js";
export {
  failureText,
  notInstalled,
  probeOver
};
