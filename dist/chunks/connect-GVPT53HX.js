import {
  connectDocker,
  endpointLabel
} from "./chunk-FF5JMVUH.js";
import "./chunk-C6LFNWKB.js";
import "./chunk-VA52T2SJ.js";
import "./chunk-M4RZR5BD.js";
import "./chunk-SEWDMQ6Q.js";
export {
  connectDocker,
  endpointLabel
};
