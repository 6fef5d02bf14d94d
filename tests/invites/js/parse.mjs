// Reads one iCalendar object on stdin and prints what Mozilla's ical.js
// (Thunderbird's parser) understands of it, as JSON, for tests/invites.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

const calendar = new ICAL.Component(ICAL.parse(text));
const timezones = calendar.getAllSubcomponents("vtimezone").map((vtz) => {
  const tz = new ICAL.Timezone(vtz);
  ICAL.TimezoneService.register(tz, tz.tzid);
  return tz.tzid;
});

const pad = (n) => String(n).padStart(2, "0");
const wall = (t) =>
  `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const start = vevent.getFirstProperty("dtstart");
  const organizer = vevent.getFirstProperty("organizer");
  return {
    uid: event.uid,
    sequence: event.sequence,
    summary: event.summary,
    description: event.description,
    location: event.location,
    status: vevent.getFirstPropertyValue("status"),
    tzid: start.getParameter("tzid") ?? null,
    timezone: event.startDate.zone ? event.startDate.zone.tzid : null,
    start_wall: wall(event.startDate),
    end_wall: wall(event.endDate),
    start_utc: event.startDate.toJSDate().toISOString(),
    end_utc: event.endDate.toJSDate().toISOString(),
    dtstamp_utc: vevent.getFirstPropertyValue("dtstamp").toJSDate().toISOString(),
    dtstamp_is_utc: vevent.getFirstPropertyValue("dtstamp").zone === ICAL.Timezone.utcTimezone,
    organizer: organizer
      ? { value: organizer.getFirstValue(), cn: organizer.getParameter("cn") ?? null }
      : null,
    attendees: vevent.getAllProperties("attendee").map((p) => ({
      value: p.getFirstValue(),
      cn: p.getParameter("cn") ?? null,
      role: p.getParameter("role") ?? null,
      partstat: p.getParameter("partstat") ?? null,
      rsvp: p.getParameter("rsvp") ?? null,
    })),
    property_names: vevent.getAllProperties().map((p) => p.name),
  };
});

process.stdout.write(
  JSON.stringify({
    method: calendar.getFirstPropertyValue("method"),
    version: calendar.getFirstPropertyValue("version"),
    prodid: calendar.getFirstPropertyValue("prodid"),
    timezones,
    events,
  }),
);
