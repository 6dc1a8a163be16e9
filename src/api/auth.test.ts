import type { FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";
import { cookieValue, isPublicRoute, SESSION_COOKIE, sessionCookie } from "./auth.js";

const withCookie = (cookie: string | undefined) => ({ headers: { cookie } }) as unknown as FastifyRequest;

describe("the session cookie", () => {
  it("is HttpOnly, SameSite=Strict, for the whole origin, Secure only over HTTPS", () => {
    expect(sessionCookie("abc", { maxAgeSeconds: 3600, secure: false })).toBe(
      "railyard_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600",
    );
    expect(sessionCookie("abc", { maxAgeSeconds: 3600.9, secure: true })).toBe(
      "railyard_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600; Secure",
    );
    expect(sessionCookie("", { maxAgeSeconds: -5, secure: false })).toBe(
      "railyard_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0",
    );
  });

  it("is read from among other cookies, by its exact name", () => {
    expect(cookieValue(withCookie("theme=dark; railyard_session=s3cr3t; lang=en"), SESSION_COOKIE)).toBe(
      "s3cr3t",
    );
    expect(cookieValue(withCookie("xrailyard_session=nope; railyard_session=yes"), SESSION_COOKIE)).toBe(
      "yes",
    );
    expect(cookieValue(withCookie('railyard_session="quoted"'), SESSION_COOKIE)).toBe("quoted");
    expect(cookieValue(withCookie("railyard_session=a%2Fb"), SESSION_COOKIE)).toBe("a/b");
    expect(cookieValue(withCookie("theme=dark"), SESSION_COOKIE)).toBeUndefined();
    expect(cookieValue(withCookie("garbage"), SESSION_COOKIE)).toBeUndefined();
    expect(cookieValue(withCookie(undefined), SESSION_COOKIE)).toBeUndefined();
  });
});

describe("public routes", () => {
  it.each([
    ["GET", "/api/v1/health"],
    ["HEAD", "/api/v1/health"],
    ["GET", "/api/docs/static/index.html"],
    ["GET", "/api/openapi.json"],
    ["GET", "/calendar.ics"],
    ["GET", "/api/v1/lines/:line/calendar.ics"],
    ["POST", "/api/v1/webhooks/github"],
    ["POST", "/api/v1/webhooks/gitlab"],
    ["POST", "/api/v1/session"],
  ])("%s %s needs no credentials", (method, route) => {
    expect(isPublicRoute(method, route)).toBe(true);
  });

  it.each([
    ["GET", "/api/v1/trains"],
    ["GET", "/api/v1/session"],
    ["DELETE", "/api/v1/session"],
    ["POST", "/api/v1/health"],
    ["GET", "/api/v1/webhooks/github"],
    ["POST", "/api/v1/trains/:id/pause"],
    ["GET", "/api/v1/audit/export"],
  ])("%s %s does", (method, route) => {
    expect(isPublicRoute(method, route)).toBe(false);
  });
});
