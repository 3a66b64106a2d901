import { describe, expect, it } from "vitest";
import { type AddressClass, classifyAddress } from "./classify-address";
import { UnreachableUrlError, vetUrl } from "./vet-url";

describe("classifyAddress", () => {
  const table: [string, AddressClass][] = [
    ["127.0.0.1", "private"],
    ["127.255.0.9", "private"],
    ["::1", "private"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.10", "private"],
    ["100.64.0.1", "private"],
    ["fd00::1", "private"],
    ["fc00::1", "private"],
    ["::ffff:127.0.0.1", "private"],
    ["::ffff:7f00:1", "private"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:0:7f00:1", "private"],
    ["64:ff9b::7f00:1", "private"],
    ["64:ff9b::a9fe:a9fe", "blocked"],
    ["2002:7f00:1::", "private"],
    ["0.0.0.0", "blocked"],
    ["0.1.2.3", "blocked"],
    ["::", "blocked"],
    ["::7f00:1", "blocked"],
    ["169.254.169.254", "blocked"],
    ["fe80::1", "blocked"],
    ["224.0.0.1", "blocked"],
    ["239.255.255.250", "blocked"],
    ["ff02::1", "blocked"],
    ["255.255.255.255", "blocked"],
    ["240.0.0.1", "blocked"],
    ["192.0.2.10", "blocked"],
    ["198.51.100.7", "blocked"],
    ["203.0.113.5", "blocked"],
    ["198.18.0.1", "blocked"],
    ["2001:db8::1", "blocked"],
    ["fec0::1", "blocked"],
    ["4000::1", "blocked"],
    ["not-an-ip", "blocked"],
    ["8.8.8.8", "public"],
    ["1.1.1.1", "public"],
    ["172.32.0.1", "public"],
    ["::ffff:8.8.8.8", "public"],
    ["64:ff9b::808:808", "public"],
    ["2606:4700:4700::1111", "public"],
  ];
  it.each(table)("%s is %s", (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

describe("vetUrl on URL spellings (the WHATWG parser normalises literal IPs first)", () => {
  const strict = { allowHttp: true, allowPrivate: false };
  const refused = [
    "http://127.0.0.1:5432/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://017700000001/",
    "http://127.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.8/",
    "http://172.16.4.4/",
    "http://192.168.0.1/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",
    "http://localhost:3000/",
  ];
  it.each(refused)("refuses %s", async (url) => {
    await expect(vetUrl(new URL(url), strict)).rejects.toBeInstanceOf(UnreachableUrlError);
  });

  it("allows public literal addresses and reports them as public", async () => {
    for (const url of ["https://8.8.8.8/", "https://[2606:4700:4700::1111]/", "http://134744072/"]) {
      await expect(vetUrl(new URL(url), strict)).resolves.toMatchObject({ allPublic: true });
    }
  });

  it("refuses a name when any of its addresses is internal", async () => {
    const lookup = async () => [
      { address: "93.184.215.14", family: 4 },
      { address: "10.0.0.5", family: 4 },
    ];
    await expect(vetUrl(new URL("https://mixed.example.test/"), { lookup })).rejects.toThrow(
      "The address could not be reached or is not allowed.",
    );
    const onlyPublic = async () => [{ address: "93.184.215.14", family: 4 }];
    await expect(vetUrl(new URL("https://ok.example.test/"), { lookup: onlyPublic })).resolves.toMatchObject({
      addresses: [{ address: "93.184.215.14", family: 4 }],
    });
  });

  it("with the operator setting, allows loopback and LAN but never link-local or unspecified", async () => {
    const lan = { allowHttp: true, allowPrivate: true };
    await expect(vetUrl(new URL("http://127.0.0.1:8080/"), lan)).resolves.toMatchObject({ allPublic: false });
    await expect(vetUrl(new URL("http://192.168.1.20/"), lan)).resolves.toBeTruthy();
    await expect(vetUrl(new URL("http://169.254.169.254/"), lan)).rejects.toBeInstanceOf(UnreachableUrlError);
    await expect(vetUrl(new URL("http://0.0.0.0/"), lan)).rejects.toBeInstanceOf(UnreachableUrlError);
  });

  it("refuses other schemes, http unless allowed, and credentials in the URL", async () => {
    for (const url of ["ftp://8.8.8.8/", "file:///etc/passwd", "http://8.8.8.8/", "https://u:p@8.8.8.8/"]) {
      await expect(vetUrl(new URL(url), { allowPrivate: true })).rejects.toBeInstanceOf(UnreachableUrlError);
    }
  });
});
