import {
  DEFAULT_INCIDENT_LABEL,
  githubChecks,
  githubPlan,
  incidentLabel,
  skipUntrusted
} from "../chunks/chunk-5BJCLG46.js";
import "../chunks/chunk-KF7AZP5G.js";
import "../chunks/chunk-RPP53YNZ.js";
import "../chunks/chunk-VQFM3CCE.js";
import "../chunks/chunk-Q7OLK7WB.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  DEFAULT_INCIDENT_LABEL,
  githubChecks,
  githubPlan,
  incidentLabel,
  skipUntrusted
};
