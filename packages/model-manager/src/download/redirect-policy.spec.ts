import { describe, expect, it } from "@jest/globals";
import { announcedSha256, redirectRefusal } from "./redirect-policy";

const u = (s: string) => new URL(s);

describe("redirectRefusal", () => {
  it("follows https hops between public hosts", () => {
    expect(redirectRefusal(u("https://huggingface.co/a/b/resolve/main/m.gguf"), u("https://cdn-lfs.example.org/x?sig=1"))).toBeUndefined();
  });

  it("never lets a remote host send the download to this machine or its private network", () => {
    const remote = u("https://models.example.org/m.gguf");
    expect(redirectRefusal(remote, u("http://127.0.0.1:8080/admin"))).toMatch(/non-https/);
    expect(redirectRefusal(remote, u("https://127.0.0.1:8443/x"))).toMatch(/local or private address \(127\.0\.0\.1\)/);
    expect(redirectRefusal(remote, u("https://localhost/x"))).toMatch(/local or private/);
    expect(redirectRefusal(remote, u("https://[::1]/x"))).toMatch(/local or private/);
    expect(redirectRefusal(remote, u("https://10.0.0.5/x"))).toMatch(/local or private/);
    expect(redirectRefusal(remote, u("https://192.168.1.20/x"))).toMatch(/local or private/);
    expect(redirectRefusal(remote, u("https://169.254.169.254/latest"))).toMatch(/local or private/);
    expect(redirectRefusal(remote, u("http://models.example.org/m.gguf"))).toMatch(/non-https/);
    expect(redirectRefusal(remote, u("file:///etc/passwd"))).toMatch(/non-https/);
  });

  it("allows plain http only between loopback addresses when the user's source was a loopback mirror", () => {
    expect(redirectRefusal(u("http://127.0.0.1:9000/m.gguf"), u("http://127.0.0.1:9001/m.gguf"))).toBeUndefined();
    expect(redirectRefusal(u("http://127.0.0.1:9000/m.gguf"), u("http://10.0.0.5/m.gguf"))).toMatch(/non-https/);
  });
});

describe("announcedSha256", () => {
  it("reads Hugging Face's X-Linked-Etag only when it is a sha256", () => {
    const sha = "a".repeat(64);
    expect(announcedSha256({ "x-linked-etag": `"${sha}"` })).toBe(sha);
    expect(announcedSha256({ "x-linked-etag": sha.toUpperCase() })).toBe(sha);
    expect(announcedSha256({ "x-linked-etag": '"1234-abcd"' })).toBeUndefined();
    expect(announcedSha256({})).toBeUndefined();
  });
});
