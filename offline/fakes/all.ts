/**
 * Every family of fakes, registered: import this (not ./index) to get the complete answers. The families
 * import the registry from ./index, so the registry must not import them back.
 */
import "./aws";
import "./gcp";
import "./kubernetes";
import "./tls";

export { fakeInvoke, fakeOutputs } from "./index";
