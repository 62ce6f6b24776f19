import { describe, expect, it } from 'vitest';
import { discordFileSchema, slaFileSchema } from '../../src/config/schema.js';

const minutes = { '0': 240, '1': 60, '2': 30, '3': 15 };
const sla = (businessHours: unknown) => slaFileSchema.safeParse({ claimWithinMinutes: minutes, resolveWithinMinutes: minutes, businessHours });
const messages = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('business hours in sla.yaml', () => {
  it('are optional, and default to Monday to Friday when the days are left out', () => {
    expect(sla(undefined).success).toBe(true);
    const parsed = sla({ timeZone: 'Europe/London', from: '09:00', to: '17:30' });
    expect(parsed.data?.businessHours).toEqual({ timeZone: 'Europe/London', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:30' });
  });

  it('refuse an unknown time zone, a bad time, an empty week and a day that ends before it starts', () => {
    expect(messages(sla({ timeZone: 'Europe/Londn', from: '09:00', to: '17:30' }))).toEqual(['businessHours.timeZone: an IANA time zone such as Europe/London or America/New_York']);
    expect(messages(sla({ timeZone: 'UTC', from: '9am', to: '17:30' }))).toEqual(['businessHours.from: a time of day is HH:MM, 00:00 to 23:59']);
    expect(messages(sla({ timeZone: 'UTC', days: [], from: '09:00', to: '17:30' }))).toEqual(['businessHours.days: at least one day']);
    expect(messages(sla({ timeZone: 'UTC', from: '18:00', to: '09:00' }))).toEqual(['businessHours.to: to must be later than from (hours across midnight are not supported)']);
  });
});

describe('team roles in discord.yaml', () => {
  const discord = (roles: unknown) => discordFileSchema.safeParse({ discord: { channels: { support: '' }, roles } });

  it('default to none, which restricts nobody', () => {
    expect(discord(undefined).data?.discord.roles).toEqual({ members: [], leads: [] });
  });

  it('take quoted role ids and refuse numbers YAML would round', () => {
    expect(discord({ members: ['123456789012345678'], leads: [] }).success).toBe(true);
    expect(messages(discord({ members: [123456789012345678] }))[0]).toMatch(/^discord\.roles\.members\.0: a Discord role id must be a quoted string/);
    expect(messages(discord({ leads: ['lead'] }))).toEqual(['discord.roles.leads.0: a Discord id is 17–20 digits']);
  });
});
