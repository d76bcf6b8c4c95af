/**
 * Builds the invented AIMMS-style sample study in sample-data/ from the
 * hand-written answers below, so the Qualtrics-style exports and the plain CSV
 * can never disagree.
 *
 *   npx tsx scripts/build-sample-data.ts
 *
 * Every answer here is SYNTHETIC: written for Codebench, modelled loosely on the
 * themes reported in the AIMMS Mentoring scheme evaluation (PLOS ONE 2025,
 * doi:10.1371/journal.pone.0318326). No real participant's words are used.
 * Output is deterministic: UTF-8 without BOM, LF line endings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  QUALTRICS_METADATA_COLUMNS,
  csvLine,
  mulberry32,
  qualtricsDate,
  qualtricsEmbeddedImportId,
  qualtricsQuestionImportId,
  qualtricsResponseId,
} from './lib/synthetic-survey';

export type Role = 'mentor' | 'mentee';

export interface Participant {
  /** "M01".."M16" for mentors, "E01".."E16" for mentees; pair n = Mnn + Enn. */
  id: string;
  role: Role;
  pair: number;
  institution: string;
}

export interface SampleQuestion {
  /** Qualtrics short name. */
  key: string;
  /** Header in the plain CSV. */
  header: string;
  /** Full question text (Qualtrics second header row). */
  text: string;
}

export const SAMPLE_QUESTIONS: readonly SampleQuestion[] = [
  {
    key: 'Q1',
    header: 'Expectations',
    text: 'What are your expectations of the AIMMS mentoring scheme? What do you hope to get out of it?',
  },
  {
    key: 'Q2',
    header: 'Satisfaction',
    text: 'How satisfied are you with the mentoring scheme so far? Please explain your answer.',
  },
  {
    key: 'Q3',
    header: 'Rewards',
    text: 'What have been (or do you expect to be) the rewards of mentoring or being mentored?',
  },
  {
    key: 'Q4',
    header: 'Challenges',
    text: 'What challenges have you faced (or do you expect to face) in the mentoring relationship?',
  },
  {
    key: 'Q5',
    header: 'Organisation and improvements',
    text: 'What do you think of the way the scheme is organised, and what would you improve?',
  },
  {
    key: 'Q6',
    header: 'Personal development',
    text: 'How, if at all, has taking part in the scheme contributed to your personal development?',
  },
  {
    key: 'Q7',
    header: 'Professional development',
    text: 'How, if at all, has taking part in the scheme contributed to your professional development or career plans?',
  },
  {
    key: 'Q8',
    header: 'Shared background',
    text: 'How important is it to you that your mentor/mentee shares aspects of your background, such as ethnicity or gender? Please explain.',
  },
];

export const WAVES = ['Baseline', '6 months'] as const;
export type WaveName = (typeof WAVES)[number];

const NORTHGATE = 'Northgate University';
const ST_BRIGIDS = "St Brigid's NHS Trust";
const CASTLEBRIDGE = 'Castlebridge University';
const RIVERSIDE = 'Riverside Teaching Hospitals NHS Foundation Trust';
const FENWICK = 'Fenwick College London';
const ALDERMOOR = 'University of Aldermoor';
const KINGSMERE = 'Kingsmere & Dale NHS Trust';

/** [mentor's institution, mentee's institution] for pairs 1..16. */
const PAIR_INSTITUTIONS: readonly [string, string][] = [
  [NORTHGATE, ST_BRIGIDS],
  [CASTLEBRIDGE, RIVERSIDE],
  [FENWICK, NORTHGATE],
  [ST_BRIGIDS, ALDERMOOR],
  [ALDERMOOR, CASTLEBRIDGE],
  [RIVERSIDE, FENWICK],
  [NORTHGATE, KINGSMERE],
  [FENWICK, KINGSMERE],
  [CASTLEBRIDGE, NORTHGATE],
  [KINGSMERE, ST_BRIGIDS],
  [RIVERSIDE, ALDERMOOR],
  [NORTHGATE, RIVERSIDE],
  [ALDERMOOR, FENWICK],
  [ST_BRIGIDS, CASTLEBRIDGE],
  [FENWICK, KINGSMERE],
  [KINGSMERE, NORTHGATE],
];

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** All 32 participants, in pair order, mentor first. */
export const PARTICIPANTS: readonly Participant[] = PAIR_INSTITUTIONS.flatMap(([mentorInst, menteeInst], i) => [
  { id: `M${two(i + 1)}`, role: 'mentor' as const, pair: i + 1, institution: mentorInst },
  { id: `E${two(i + 1)}`, role: 'mentee' as const, pair: i + 1, institution: menteeInst },
]);

/** Eight answers, in question order Q1..Q8. */
type Answers = readonly [string, string, string, string, string, string, string, string];

// ---------------------------------------------------------------------------
// Baseline: all 32 respondents. Satisfaction/rewards/challenges are partly
// anticipated: pairs had been matched and most had met once.
// ---------------------------------------------------------------------------

const BASELINE: Readonly<Record<string, Answers>> = {
  M01: [
    `To help my mentee work out where she wants to be in five years and how to get there. I also want to understand what the barriers look like now for younger colleagues, because they are not the same as when I started.`,
    `Satisfied. Matching was quick and the introductory session was well run.`,
    `Honestly, I get to give back some of what I was never given. Nobody sat me down when I was a registrar and explained how any of this works.`,
    `Time. I already mentor informally and my diary is a mess.`,
    `Fine so far. A short guide on what a first meeting should cover would help new mentors.`,
    `-`,
    `n/a for me at this stage, though I expect it will sharpen my own leadership skills.`,
    `Important, though not essential. There are conversations about race at work that are easier when you don’t have to start from zero.`,
  ],
  E01: [
    `I want help with my fellowship application and with deciding whether to stay clinical academic or go fully clinical. Also just someone outside my department to talk to.`,
    `Very satisfied so far – we've met once and she had already read my CV!`,
    `Getting honest feedback on my writing. Confidence too probably`,
    `Finding time between clinics, on-calls and childcare is the hardest part. I'm worried I will be the one cancelling.`,
    `The launch event was good but it was on a weekday at 2pm which is impossible for clinicians. Evenings or recorded sessions please.`,
    `Too early to say.`,
    `Hoping to submit the fellowship in spring.`,
    `Very important. She has juggled children and a clinical academic career herself, and she’s a woman of colour who came up through a department like mine. I don't have to explain the background to every problem.`,
  ],
  M02: [
    `Support a mentee through the next career step; learn something myself.`,
    `N/A`,
    `Watching someone grow in confidence. And I learn from younger colleagues what the sector looks like from below.`,
    `Distance. We won't be meeting in person much, and Teams is not the same as a coffee.`,
    `The matching form asked a lot about research area and very little about what mentees actually want help with. I would swap that round.`,
    ``,
    ``,
    `It matters, but I would not want the scheme to suggest that only Black women can mentor Black women. That puts the whole burden back on the handful of us who are senior.`,
  ],
  E02: [
    `Guidance on moving from postdoc to an independent post. Someone who has done it, as a Black woman, in this field.`,
    `Good so far.`,
    `Networks!! I don't know anyone senior outside my own group.`,
    `Not knowing what I'm allowed to ask. I don't want to waste her time.`,
    `Clear info, nice welcome pack.`,
    `I hope to become more assertive`,
    `Independent fellowship or lectureship within 2 years`,
    `Extremely important. I have never been taught by, or worked for, anyone who looks like me.`,
  ],
  M03: [
    `To be useful. I am not sure what my mentee needs yet.`,
    `OK`,
    `Mentoring usually teaches the mentor as much as the mentee.`,
    `Workload; also the risk that we end up discussing her rota problems, which I can't fix.`,
    `I would like clearer guidance on boundaries, e.g. what to do if a mentee discloses something serious about her workplace (bullying, discrimination). Who do we escalate to?`,
    `N/A`,
    `N/A`,
    `Somewhat. Gender matters more to me than ethnicity, to be honest – the obstacles I faced were mostly about being a woman with young children in a department that measured commitment by hours on site.`,
  ],
  E03: [
    `I want to finish my PhD and work out what comes next. I also want to talk to someone who understands what it's like being the only hijabi in the lab.`,
    `Satisfied`,
    `Advice, contacts, confidence.`,
    `I'm shy about asking for help so that might be a challenge for me personally.`,
    `no comments`,
    `Confidence, hopefully`,
    `Thesis submission then postdoc applications.`,
    `Quite important. Ethnicity and religion both. I would find it hard to talk openly with someone who doesn't get it`,
  ],
  M04: [
    `Help an early career woman avoid some of the mistakes I made`,
    `Too early to tell.`,
    `Seeing her progress.`,
    `Time, as always. We both have on-call commitments.`,
    `Training for mentors would be welcome, even a one-hour session. Some of us have never had formal mentoring ourselves.`,
    `-`,
    `-`,
    `Helpful but not the most important thing. A good mentor is a good mentor, whatever their background.`,
  ],
  E04: [
    `Career advice and help with my first paper`,
    `Fine`,
    `Learning how academic medicine actually works.`,
    `none anticipated`,
    `Please make the schedule available earlier, I needed to swap shifts for the launch and only found out a week before.`,
    ``,
    `Academic clinical fellowship application`,
    `Not that important to me, I mainly wanted someone in my specialty. But it's nice.`,
  ],
  M05: [
    `I would like my mentee to leave the scheme with a concrete plan and at least one person, other than me, who will speak for her in rooms she is not in.`,
    `Satisfied with the matching. Have not met yet.`,
    `I remember what it was like. If I can spare one person the loneliness of being the only one in the room, that's reward enough.`,
    `Institutional stuff I cannot control. I suspect her department does not give her protected time for this.`,
    `The launch was good. Please keep the cohort small; it works because it feels personal.`,
    `n/a`,
    `n/a`,
    `Very important, and I say that carefully. Shared experience lets you skip the part where the mentee wonders whether you will believe her.`,
  ],
  E05: [
    `I'm hoping for advice on promotion (senior lecturer) and someone to help me understand the unwritten rules.`,
    `Haven't met yet, emails have been friendly`,
    `Being listened to.`,
    `My head of department doesn't see the point of it and asked whether it's 'really a good use of teaching time'.`,
    `Good communication from the team.`,
    `More confidence to speak in meetings.`,
    `Promotion case by next year.`,
    `Very – as a Black Muslim woman I rarely meet anyone senior with anything like my background.`,
  ],
  M06: [
    `Share what I have learned; help with networking and visibility.`,
    `Satisfied`,
    `Giving back`,
    `My mentee is at a different trust with a very different culture, so my advice may not translate.`,
    `The handbook is very long. A one-page summary would be better.\nAlso: please send calendar invites, not just emails.`,
    `Not applicable`,
    `NA`,
    `I think it helps with trust at the start. Later it matters less than whether you get on.`,
  ],
  E06: [
    `Help with work-life balance and long-term planning. I am the first in my family to go to university, let alone do a PhD, so there is a lot I don’t know that others seem to know.`,
    `So far so good`,
    `i think confidence and knowing people`,
    `Time zones? My mentor travels a lot`,
    ``,
    `I want to be less anxious about presenting`,
    `get 2 first-author papers out`,
    `Gender more than ethnicity for me. I'm East Asian and my mentor is Black, but we're both women and both first-generation, which I think matters more.`,
  ],
  M07: [
    `I don't have fixed expectations – I'd like to follow the mentee's agenda.`,
    `Satisfied.`,
    `Keeping me connected to the realities of early career academics.`,
    `Possibly that I am not a clinician and she is.`,
    `Good, well-organised. One suggestion: let pairs swap after the first meeting if it really isn't working, without anyone feeling awkward.`,
    ``,
    ``,
    `I'm mixed race (Irish and Jamaican) and I often sit between categories, so ‘similar background’ is complicated for me. I'd hope what we share is the experience of being the odd one out.`,
  ],
  E07: [`Exposure to academia, maybe an in-practice fellowship`, `N/A`, `N/A`, `N/A`, `N/A`, `N/A`, `N/A`, `N/A`],
  M08: [
    `To support my mentee's development as an independent researcher and help her build a network beyond her current group. I would also like to hear about her experiences so I can be a better advocate on committees.`,
    `Satisfied`,
    `It's rewarding to help someone avoid the isolation I experienced as the only East Asian woman in my department for many years`,
    `Time, and not knowing how much to share about my own difficulties`,
    `The organisation is good. I'd appreciate a mid-point check-in from the organisers.`,
    `-`,
    `-`,
    `Moderately important`,
  ],
  E08: [
    `honestly not sure yet, my educational supervisor suggested it. Career advice i guess`,
    `ok`,
    `More contacts in research`,
    `finding time!!!`,
    ``,
    ``,
    `thinking about doing an MD`,
    `Yes important`,
  ],
  M09: [
    `Help my mentee navigate surgical training alongside research, and talk about how to deal with a culture that isn't always welcoming.`,
    `Very satisfied with the launch and the matching`,
    `I'm hoping to learn as much as I give. The juniors are braver than we were.`,
    `Time is always the issue in surgery. Also the temptation to solve her problems instead of letting her solve them`,
    `The scheme is well organised. I would add peer sessions for mentors, it would be good to compare notes.`,
    `n/a`,
    `n/a`,
    `Very important in surgery, where there are so few of us. She needs to see that it can be done, by someone who looks like her, without giving up who you are.`,
  ],
  E09: [
    `Advice on combining surgical training with a PhD. And how to deal with comments in theatre.`,
    `satisfied`,
    `Someone in my corner.`,
    `Being in theatre all day makes it hard to have calls`,
    `Fine`,
    `Resilience`,
    `Getting into an out-of-programme research post`,
    `Very. I’ve only ever had white male consultants as supervisors. They were mostly fine but there are things I just wouldn’t say to them.`,
  ],
  M10: [
    `Career guidance, sounding board`,
    `Satisfied`,
    `It keeps me honest about my own career too.`,
    `None foreseen.`,
    `Well organised. Could the scheme run a session for mentees on writing promotion cases? It's a reccuring theme.`,
    `N/a`,
    `N/a`,
    `It matters. We have both been told we are 'aggressive' for saying what a male colleague would say, and we didn't need to explain that to each other.`,
  ],
  E10: [
    `I met Siobhán for the first time last week and we agreed I want to work on:\n1. my promotion case\n2. getting onto a national committee\n3. not burning out\n(in that order!)`,
    `Very satisfied, she's lovely.`,
    `Visibility. I'm good at the work, I'm not good at making sure anyone notices.`,
    `Me. I overcommit.`,
    `The sign-up form didn't work on my phone. Otherwise fine`,
    `Saying no. Boundaries.`,
    `Promotion to senior lecturer.`,
    `She's mixed Nigerian and Irish, I'm Ghanaian, so it's not identical, but she gets it.`,
  ],
  M11: [
    `I'd like to help my mentee build confidence and a clear plan, and to be someone she can be honest with`,
    `Satisfied`,
    `I enjoy it. Mentoring is one of the few parts of my job that is entirely positive.`,
    `I'm worried she'll tell me what she thinks I want to hear. Building trust takes time.`,
    `No comments.`,
    `n/a`,
    `n/a`,
    `It's helpful. I think it means she may feel safer raising things about race.`,
  ],
  E11: [
    `To get advice about life after the PhD and someone who isn't my supervisor to talk to about problems in the lab.`,
    `satisfied`,
    `Honest advice`,
    `I'm not sure how much I can say about my supervisor without it getting back to him. Academic medicine is a small world.`,
    `Very smooth sign up`,
    `Self-belief`,
    `Postdoc applications`,
    `Gender is the most important to me. Ethnicity is a bonus`,
  ],
  M12: [
    `A productive relationship that helps my mentee make choices about her career with her eyes open.`,
    `Satisfied`,
    `Connection. It can be lonely at the top too, you know.`,
    `Managing expectations – mentoring can't fix structural problems in her workplace, and I don't want to promise what I can't deliver.`,
    `I would like the scheme to gather data on outcomes (promotions, grants) so we can make the case for funding. Otherwise it will disappear when the current funding ends.`,
    `-`,
    `-`,
    `Very important in principle. In practice the chemistry between people matters most.`,
  ],
  E12: [`Advice on speciality choice + acadmic track`, `fine`, `n/a yet`, ``, ``, ``, ``, ``],
  M13: [
    `Help my mentee through her first years as a consultant, particularly around research leadership and managing a team.`,
    `Good so far`,
    `Learning from someone who sees the organisation with fresh eyes.`,
    `Finding time when both of us have clinical commitments. And being honest about my own mistakes without scaring her off!`,
    `I would suggest a short matching call before pairs are finalised, to check for chemistry.`,
    `n/a`,
    `n/a`,
    `Shared background is a good starting point. But it's the listening that matters.`,
  ],
  E13: [
    `As a new consultant I want to build a research portfolio and avoid burnout. I also want to learn how to manage people — nobody trains you for that.`,
    `Satisfied so far`,
    `Perspective, and learning from her experience.`,
    `Scheduling, because we're both consultants with busy job plans.`,
    `The launch event would have been better in person.`,
    `Becoming a better leader`,
    `First grant as PI.`,
    `Important but not essential. I'd have been happy with anyone senior who was willing to be honest.`,
  ],
  M14: [
    `Help with leadership and confidence; talk through options.`,
    `Satisfied.`,
    `Paying it forward.`,
    `Time.`,
    `Good. Perhaps clearer information about what happens at the end of the 6 months – do we just stop?`,
    `N/A`,
    `N/A`,
    `Important. There's a lot of unspoken stuff that doesn't need saying.`,
  ],
  E14: [
    `I'd like someone to help me think about leadership – I've been asked to take on a module lead role and I don't know if I should.`,
    `Satisfied`,
    `Confidence to take on leadership, and a sounding board`,
    `I'm not sure, maybe that my mentor is in public health and I'm a lab scientist.`,
    `Information was clear. It would be nice to have the list of all participants so we could network.`,
    `I want to stop apologising for myself.`,
    `Decide about the module lead role`,
    `Gender yes, ethnicity less so. Nobody in the scheme shares my background exactly – there are very few Vietnamese women in UK academic medicine and my surname (Nguyễn) still gets mispronounced in every meeting. But being a woman of colour in a lab is a shared experience.`,
  ],
  M15: [
    `Supporting someone early in her career with practical advice on grants and papers, and on surviving the politics.`,
    `So far satisfied`,
    `It's a pleasure to work with someone so motivated.`,
    `Time. Always time.`,
    `Could the scheme be open to men as mentors too, so that the burden doesn't fall only on the few senior women from minority backgrounds? I suspect that is controversial.`,
    `n/a`,
    `n/a`,
    `Important, but I worry about the burden point I made above.`,
  ],
  E15: [
    `Honestly? To find out if academic medicine is for me, or whether I'm just trying to prove something to people who told me, "medicine isn't for girls like you".`,
    `Satisfied`,
    `Answers to questions I'm embarrassed to ask anyone else.`,
    `I might be too intimidated to be honest with a professor.`,
    `The emails were a bit corporate. A friendlier tone would help people like me who feel like imposters already.`,
    `belive in myself more`,
    `ACL application`,
    `Very. I've never had a teacher or a boss who is a Black woman.`,
  ],
  M16: [
    `To pass on what I have learned in 30 years in the NHS before I retire.`,
    `Satisfied`,
    `Legacy, I suppose.`,
    `Technology – I am not very good with Teams!`,
    `The online forms were confusing. I had to ask my granddaughter. Paper would be fine for some of us.`,
    `-`,
    `-`,
    `Important. When I started, there was nobody. I do not want that for her.`,
  ],
  E16: [
    `I'd like support to apply for a clinical PhD and advice on how to balance it with family commitments – I'm a carer for my mum.`,
    `Satisfied, first meeting went well`,
    `Reassurance`,
    `Caring responsibilities. I can't always commit to fixed times.`,
    `Our first meeting invite came through with a link that said <script>alert(1)</script> instead of the meeting details – I assume a bug in the portal – but the organisers sorted it out quickly by email.`,
    `Better balance`,
    `Clinical PhD application (deadline March)`,
    `Important. She understood the carer thing immediately – in our culture you just do it, you don't discuss it.`,
  ],
};

// ---------------------------------------------------------------------------
// 6 months: ten mentees and four mentors.
// ---------------------------------------------------------------------------

const SIX_MONTHS: Readonly<Record<string, Answers>> = {
  E01: [
    `Mostly met. I wanted help with the fellowship and I got it.`,
    `Very satisfied. 9/10 – the missing point is only because we never managed to meet in person.`,
    `She went through my fellowship application line by line and it is now submitted. Beyond that, I feel much more confident putting myself forward for things – I applied for the deputy lead role I would have ignored a year ago.`,
    `Rota changes meant we cancelled twice. Otherwise none.`,
    `More structure around the midpoint would help – a check-in from the organisers, maybe a short form. We drifted a bit in month 4.`,
    `I say no more often. Sounds small, isn’t.`,
    `Fellowship submitted (fingers crossed), applied for deputy lead post.`,
    `Still very important to me. When I told her about a comment made in a meeting she didn’t ask me whether I was sure that's what he meant.`,
  ],
  M02: [
    `Largely met.`,
    `Satisfied. My mentee has done the work; I mostly ask questions.`,
    `Seeing her name on a grant. That's the reward.`,
    `We are at opposite ends of the country, so almost all of it has been online. We finally met at a conference in May, which helped enormously.`,
    `The organisers should collect short feedback at 3 months. Nobody asked us how it was going until this survey.`,
    `n/a`,
    `It has made me think harder about sponsorship versus mentoring – I can open doors as well as give advice.`,
    `I stand by what I said at the start: it matters, but it shouldn’t only be us doing this work.`,
  ],
  E02: [
    `Exceeded them.`,
    `Very satisfied. Adéọlá has been brilliant, generous with her time and very direct, which is what I needed.`,
    `She introduced me to people I would never have had the nerve to email, including two who are now collaborators on a grant. I also have a much clearer plan for the next two years.`,
    `At the start I wasn't sure what I was supposed to bring to each meeting, so the first two felt a bit like chats. Once we set an agenda it worked.`,
    `A template for setting goals at the first meeting would have saved us a month.`,
    `Less imposter syndrome. Some days.`,
    `Co-applicant on a grant, invited to speak at a regional meeting.`,
    `Still extremely important. Seeing a Black woman professor made it feel possible, and seeing how she handles things made it feel doable.`,
  ],
  E03: [
    `Partly met. Thesis is nearly there but I still don't know what's next`,
    `Satisfied, 7/10`,
    `Having a safe space to say things I could never say at work. I didn’t realise how much I needed that until I had it.`,
    `My mentor is very senior and I sometimes felt I was taking up her time with small things. She says I'm not!`,
    `Maybe group sessions with other mentees so we can share experiences? I'd have liked to meet the others.`,
    `I am better at asking for help. A bit.`,
    `Talked through postdoc vs. clinical training. Still undecided.`,
    `Important. I didn't have to explain why my family expects certain things of me, or why I don't go to the pub after work.`,
  ],
  M05: [
    `Broadly met; the relationship took longer to establish than I expected.`,
    `Satisfied`,
    `Watching her take up space. She presented at grand rounds last month.`,
    `Her department. Not her.`,
    `Please involve line managers. Mentees need protected time and the scheme is in a better position to ask for it than they are.`,
    `I have had to re-examine some of my own assumptions about what the younger generation is willing to put up with – they are less willing, and rightly.`,
    `-`,
    `Very important. She did not have to prove anything to me before I believed her.`,
  ],
  E05: [
    `Met and more.`,
    `Very satisfied`,
    `She actually listens rather than jumping to advice. I've had 'mentors' before who talked at me for an hour. This was different – she asked questions and let me work out my own answer.`,
    `My head of department still doesn't give me protected time, so every meeting is in my lunch break or after 6. There is no recognition of this work in my workload allocation at all.`,
    `The scheme should write to heads of department at the start asking them to protect an hour a month. That letter would carry weight that we don't.`,
    `I speak up in meetings now. Not every meeting!`,
    `Promotion case drafted; she reviewed it twice.`,
    `Even more important than I thought. When I described what happened at my interview she said, “that happened to me in 2009”, and for the first time it made me realise I wasn't imagining it.`,
  ],
  E06: [
    `Met`,
    `Satisfied but we didn't meet as often as planned`,
    `Practical advice on the papers. One is now under review.`,
    `My mentor’s travel and my lab schedule meant we rescheduled a lot. Time zones were a real thing when she was in Harare for two months.`,
    `An app or shared space to log meetings and goals would help keep momentum.`,
    `Presenting is still scary but I did it.`,
    `1 paper under review, 1 in draft`,
    `Less important than I thought at the start. What mattered was that she was kind and honest.`,
  ],
  E08: [
    `Didn't really know what to expect. It's turned out to be useful in ways I didn't anticipate.`,
    `Satisfied`,
    `My mentor introduced me to her collaborators and I now have a supervisor lined up for an MD. Also just someone to ask 'is this normal?'`,
    `Rota. Registrar rotas are hostile to anything that isn't service.`,
    `Evening sessions. Nothing in working hours works for trainees.`,
    `More organised, more focussed`,
    `MD supervisor identified, project outline written`,
    `It helped. I'm Caribbean and she's Chinese-Malaysian so not the same background, but she knows what it's like to be the one people mistake for someone else in every meeting. That was enough.`,
  ],
  M09: [
    `Met`,
    `Very satisfied`,
    `She got the research post. I was more pleased than when I got my own chair.`,
    `Early starts. Worth it.`,
    `Consider extending to 12 months.`,
    ``,
    `I've since been asked to lead mentoring for our surgical trainees, partly because of this.`,
    `Very important. See my baseline answer.`,
  ],
  E09: [
    `Met.`,
    `Very satisfied – best thing I've done this year.`,
    `Knowing there is someone in my corner. And practical things: she helped me prepare for my OOPR interview, which I got.`,
    `Surgery hours, obviously. We did most calls at 7am before theatre.`,
    `It would be nice to have an end-of-scheme event to celebrate. It's hard work for both sides.`,
    `I'm calmer. When something happens in theatre now I think 'what would she do' rather than just freezing.`,
    `OOPR post starting in October.`,
    `Huge. I told her about a consultant's 'joke' about my hijab and she knew exactly what to say and what to do next. Nobody else would have understood why it stung.`,
  ],
  E11: [
    `Mostly met`,
    `satisfied`,
    `Just someone to talk to.`,
    `At first I didn’t trust that it was confidential, which was probably about me, not her.`,
    `Make the confidentiality rules explicit at the start – in writing – so mentees know what stays between mentor and mentee.`,
    `I'm more confident, I think. My partner says so.`,
    `Two postdoc applications submitted.`,
    `Still gender mainly. We talked a lot about whether I can have children and an academic career and she was very honest about what it cost her.`,
  ],
  M13: [
    `Met`,
    `Satisfied; my mentee has been very proactive.`,
    `Seeing her handle a tricky HR situation with real confidence.`,
    `Not really, apart from diaries.`,
    `n/a`,
    `It reminded me how much I still enjoy teaching.`,
    `-`,
    `Less than I thought. She has her own story and it's not mine.`,
  ],
  E13: [
    `Partly met. Research portfolio is moving slowly but the management advice has been gold.`,
    `Satisfied`,
    `The biggest reward has been learning to manage a difficult member of my team. I had never managed anyone before becoming a consultant, and the first months were miserable: I lay awake before every one-to-one. My mentor coached me through each conversation – what to say, what not to say, when to involve HR – and then, just as importantly, told me about the times she had got it wrong herself. Hearing that someone I admire struggled with exactly the same things was a relief. The situation is now resolved, and I think I handled it fairly. I would not have managed that on my own, or not without a lot more damage.`,
    `Nothing significant`,
    `More flexibility about meeting frequency would help. Monthly was sometimes too often and sometimes not enough.`,
    `Yes: I'm a better listener myself now because I've experienced what good listening feels like.`,
    `Submitted a small grant as PI (outcome pending).`,
    `Honestly a good mentor is a good mentor, whatever their background. Mine happens to share some of mine and that's a bonus.`,
  ],
  E15: [
    `Exceeded`,
    `Very satisfied. Best decision I made this year.`,
    `I feel much more confident putting myself forward now, and I know medicine is for girls like me.`,
    `Initially being intimidated. It passed after the first meeting when she told me about failing her first fellowship interview.`,
    `I tried to upload our goals document to the scheme portal and it came back showing <img src=x onerror=alert(1)> instead of the file name, so I just emailed it. The portal needs work.`,
    `I believe in myself more.`,
    `ACL interview in November`,
    `Very important – she made me realise I wasn't imagining the things that happen to me.`,
  ],
};

export const SAMPLE_ANSWERS: Readonly<Record<WaveName, Readonly<Record<string, Answers>>>> = {
  Baseline: BASELINE,
  '6 months': SIX_MONTHS,
};

// ---------------------------------------------------------------------------
// Building the files
// ---------------------------------------------------------------------------

export const SAMPLE_FILES = {
  baselineQualtrics: 'aimms-baseline-qualtrics.csv',
  sixMonthQualtrics: 'aimms-6month-qualtrics.csv',
  plain: 'aimms-plain.csv',
} as const;

/** Respondents of a wave, in participant order (pair, mentor first). */
function waveParticipants(wave: WaveName): Participant[] {
  const answers = SAMPLE_ANSWERS[wave];
  for (const id of Object.keys(answers)) {
    if (!PARTICIPANTS.some((p) => p.id === id)) throw new Error(`${wave}: unknown participant ${id}`);
  }
  return PARTICIPANTS.filter((p) => answers[p.id] !== undefined);
}

function qualtricsCsv(wave: WaveName, seed: number, startMs: number, days: number): string {
  const rand = mulberry32(seed);
  const rows = waveParticipants(wave).map((p) => {
    const answers = SAMPLE_ANSWERS[wave][p.id];
    const written = answers.reduce((n, a) => n + a.length, 0);
    // Working hours and evenings, London wall-clock time.
    const day = Math.floor(rand() * days);
    const minuteOfDay = 7 * 60 + Math.floor(rand() * 15 * 60);
    const start = startMs + day * 86_400_000 + minuteOfDay * 60_000 + Math.floor(rand() * 60) * 1000;
    const duration = 150 + Math.floor(written / 4) + Math.floor(rand() * 600);
    const end = start + duration * 1000;
    const recorded = end + (1 + Math.floor(rand() * 3)) * 1000;
    const ip = `${['192.0.2', '198.51.100', '203.0.113'][Math.floor(rand() * 3)]}.${1 + Math.floor(rand() * 254)}`;
    const lat = (50.7 + rand() * 4.3).toFixed(4);
    const lon = (-3.2 + rand() * 3.4).toFixed(4);
    const fields = [
      qualtricsDate(start),
      qualtricsDate(end),
      'IP Address',
      ip,
      '100',
      String(duration),
      'True',
      qualtricsDate(recorded),
      qualtricsResponseId(rand),
      '',
      '',
      '',
      '',
      lat,
      lon,
      'anonymous',
      'EN-GB',
      p.id,
      p.role,
      String(p.pair),
      p.institution,
      ...answers,
    ];
    return { start, fields };
  });
  // Qualtrics lists responses in the order they were recorded.
  rows.sort((a, b) => a.start - b.start);

  const embedded = [
    { key: 'participant_id', label: 'Participant ID' },
    { key: 'role', label: 'Role' },
    { key: 'pair', label: 'Pair' },
    { key: 'institution', label: 'Institution' },
  ];
  let out = '';
  out += csvLine([...QUALTRICS_METADATA_COLUMNS.map((c) => c.key), ...embedded.map((e) => e.key), ...SAMPLE_QUESTIONS.map((q) => q.key)]);
  out += csvLine([...QUALTRICS_METADATA_COLUMNS.map((c) => c.label), ...embedded.map((e) => e.label), ...SAMPLE_QUESTIONS.map((q) => q.text)]);
  out += csvLine([
    ...QUALTRICS_METADATA_COLUMNS.map((c) => c.importId),
    ...embedded.map((e) => qualtricsEmbeddedImportId(e.key)),
    ...SAMPLE_QUESTIONS.map((_, i) => qualtricsQuestionImportId(i + 1)),
  ]);
  for (const row of rows) out += csvLine(row.fields);
  return out;
}

function plainCsv(): string {
  let out = csvLine(['respondent_id', 'role', 'pair', 'institution', 'wave', ...SAMPLE_QUESTIONS.map((q) => q.header)]);
  for (const wave of WAVES) {
    for (const p of waveParticipants(wave)) {
      out += csvLine([p.id, p.role, String(p.pair), p.institution, wave, ...SAMPLE_ANSWERS[wave][p.id]]);
    }
  }
  return out;
}

/** The three sample files, by file name, as they should be on disk. */
export function buildSampleData(): Record<string, string> {
  return {
    [SAMPLE_FILES.baselineQualtrics]: qualtricsCsv('Baseline', 20240108, Date.UTC(2024, 0, 8), 24),
    [SAMPLE_FILES.sixMonthQualtrics]: qualtricsCsv('6 months', 20240708, Date.UTC(2024, 6, 8), 19),
    [SAMPLE_FILES.plain]: plainCsv(),
  };
}

function main(): void {
  const outDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'sample-data');
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(buildSampleData())) {
    const path = join(outDir, name);
    writeFileSync(path, text, 'utf8');
    const rows = text.split('\n').length - 1;
    console.log(`wrote ${path} (${Buffer.byteLength(text, 'utf8')} bytes, ${rows} lines)`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
