import { describe, expect, it } from "vitest";
import { classOf } from "../../bench/floor/classes";
import * as k8s from "@pulumi/kubernetes";
import * as gcp from "@pulumi/gcp";
import * as tls from "@pulumi/tls";
import * as aws from "@pulumi/aws";

describe("the shape floor's class lookup", () => {
  it.each([
    ["gcp:compute/backendService:BackendService", gcp.compute.BackendService],
    ["gcp:certificatemanager/certificateMapEntry:CertificateMapEntry", gcp.certificatemanager.CertificateMapEntry],
    ["aws:globalaccelerator/endpointGroup:EndpointGroup", aws.globalaccelerator.EndpointGroup],
    ["tls:index/locallySignedCert:LocallySignedCert", tls.LocallySignedCert],
    ["kubernetes:core/v1:Secret", k8s.core.v1.Secret],
    ["kubernetes:helm.sh/v3:Release", k8s.helm.v3.Release],
    ["kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", k8s.rbac.v1.ClusterRole],
    ["kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", k8s.apiextensions.CustomResource],
    ["pulumi:providers:kubernetes", k8s.Provider],
  ])("finds the class of %s", (type, expected) => {
    expect(classOf(type)).toBe(expected);
  });

  it("finds none for a type no SDK has", () => {
    expect(classOf("gcp:compute/noSuchThing:NoSuchThing")).toBeUndefined();
    expect(classOf("fleetgate:index:FleetIngress")).toBeUndefined();
  });
});
