"""Every role name of the LMS, and the named sets of roles pages check (no Django imports).

Global roles are groups. Being the instructor or teaching assistant *of a course* is not a
global role: it is a CourseStaff row, asked through ``user.has_perm(perm, course)``
(courses/rules.py). The global INSTRUCTOR role only means "may create courses".
"""

STUDENT = "student"
INSTRUCTOR = "instructor"
PLATFORM_ADMIN = "platform_admin"

ROLES = {
    STUDENT: "Student",
    INSTRUCTOR: "Instructor",
    PLATFORM_ADMIN: "Platform administrator",
}
# Self-registration makes a learner; an admin grants INSTRUCTOR to people who teach.
DEFAULT_ROLE = STUDENT

# Who may create a course (and then staffs it as its instructor).
COURSE_AUTHORS = (INSTRUCTOR, PLATFORM_ADMIN)
PLATFORM = (PLATFORM_ADMIN,)

ROLE_SETS = {
    "course_authors": COURSE_AUTHORS,
    "platform": PLATFORM,
}
