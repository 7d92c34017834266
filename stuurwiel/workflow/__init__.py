"""The USM workflow engine: five processes, their steps and forks, run as data.

Model
-----
A *definition* (:mod:`stuurwiel.workflow.definition`) is compiled from the USM library:
the processes with their ordered steps, which steps are fork points and to which
processes they may fork, which steps a process skips when it is entered by a fork,
the call types with the process each starts, the eight workflow patterns as paths of
processes, and the function-separation rules. Nothing of this is written in code;
a call keeps the definition it started under (the calls app stores it by content
hash), so reloading a library never changes a running call.

A call's *state* is a small tree of process runs. The root run is the process the
call type starts. Each run has a current step. Completing a step moves to the next
one; at a fork step the performer chooses the process to fork to: a child run starts
in that process and the parent *waits* at its fork step. When a child reaches the end
of the steps it runs, it is *fulfilled* and its parent *resumes* at the step after
the fork step (toetsen oplevering & terugkoppelen, evalueren & afsluiten, or in
Wijzigen: bijwerken register). A child skips the generic steps its process lists in
``forked_skips`` (the call is already registered and its delivery is tested with the
customer by the root process).

The call's status follows from the root run: *open* while work is done, *process
fulfilled* when the root has reached its ``toetsen`` step (the work is delivered and
awaits the customer's confirmation), *workflow fulfilled* once confirmed (the
evaluation is left), *closed* when ``evalueren`` is completed.

The workflow pattern (WF1–WF8) is never chosen: :func:`engine.derived_pattern` reads it
from the processes actually entered, compared with the patterns' paths.

Transitions answer why not: :func:`engine.available` lists every transition of the
current state with the guard that blocks it (a rule of the library, a role, or the
state), so pages hide what is not allowed and the API explains a refusal.

Limits
------
- One child per fork step and at most one active run at a time: USM's forks hand the
  call on, they do not split it into parallel branches.
- The engine is pure Python over plain data: it knows no database, users or links.
  The calls app gives it the facts (who performed which step, the actor's roles) and
  stores what it returns (runs, events); locking and versions are the app's concern.
"""
